/**
 * @module core/ids
 * Numeric ids (entities, communities, chat users) as every door accepts them: integers within
 * JavaScript's safe range. Above 2^53 two different ids parse to the same number (Discord and
 * Twitter ids are that large), so such ids must travel as strings.
 */
import { Type } from '@sinclair/typebox';

/** An entity or community id in a body or query. */
export const EntityIdSchema = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** A numeric id of the outside world (user, channel, message): strings carry the larger ones. */
export const SafeIntegerSchema = Type.Integer({ minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER });

export const LARGE_ID_HINT = 'ids beyond 2^53 lose digits as JSON numbers; send them as strings';
