/**
 * @module http/routes/credentials
 * An entity's credentials: create and list (entity members), get, update and delete (members of
 * the credential's entity). Answers carry field names, never values.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CREDENTIAL_NAME_PATTERN } from '../../core/credential-refs.ts';
import { EntityIdSchema } from '../../core/ids.ts';
import { MIN_SECRET_LENGTH } from '../../core/redact.ts';
import { type CredentialService, credentialView } from '../../services/credentials.ts';
import { credentialOf, entityIdOf, principalOf } from '../access.ts';
import { Envelope, errors, ok, PagedEnvelope, PageQuery, paged, Timestamp, Uuid } from '../envelope.ts';

const tags = ['credentials'];
const EntityId = EntityIdSchema;
const Name = Type.String({
  pattern: CREDENTIAL_NAME_PATTERN,
  description: 'used as {{ $credentials.<name>.<field> }}',
});
const CredentialType = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', description: 'e.g. api_key, basic_auth' });
// Shorter values could not be redacted from what a run leaves without mangling ordinary text.
const Value = Type.String({
  minLength: MIN_SECRET_LENGTH,
  maxLength: 16_384,
  description: `at least ${MIN_SECRET_LENGTH} characters, so that it can be redacted wherever it appears`,
});
const Fields = Type.Record(Type.String({ pattern: CREDENTIAL_NAME_PATTERN }), Value, {
  minProperties: 1,
  maxProperties: 50,
});

export const CreateBody = Type.Object(
  {
    entity_id: Type.Optional(EntityId),
    name: Name,
    type: CredentialType,
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    fields: Fields,
  },
  { additionalProperties: false },
);
export const UpdateBody = Type.Object(
  {
    name: Type.Optional(Name),
    type: Type.Optional(CredentialType),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    fields: Type.Optional(
      Type.Record(Type.String({ pattern: CREDENTIAL_NAME_PATTERN }), Type.Union([Value, Type.Null()]), {
        maxProperties: 50,
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
const EntityQuery = Type.Object({ entity_id: Type.Optional(EntityId) });
const ListQuery = Type.Object({ entity_id: EntityId, ...PageQuery });
const CredentialParams = Type.Object({ credential_id: Uuid }, { additionalProperties: false });

export const CredentialSchema = Type.Object(
  {
    credential_id: Uuid,
    entity_id: Type.Integer(),
    name: Type.String(),
    type: Type.String(),
    description: Type.String(),
    fields: Type.Array(Type.String(), { description: 'field names; values are never answered' }),
    created_by: Type.String(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { additionalProperties: true },
);
const CredentialAnswer = Envelope(CredentialSchema, 'The credential (field names only)');
const CredentialListAnswer = PagedEnvelope(CredentialSchema, 'A page of credentials');
export const DeletedCredentialSchema = Type.Object(
  { credential_id: Uuid, deleted: Type.Literal(true) },
  { additionalProperties: true },
);
const DeletedAnswer = Envelope(DeletedCredentialSchema, 'Deleted');

export const credentialRoutes: FastifyPluginAsyncTypebox<{ readonly credentials: CredentialService }> = async (
  app,
  { credentials },
) => {
  app.post(
    '/api/v1/credentials',
    {
      config: { access: { kind: 'entity' } },
      schema: {
        tags,
        summary: 'Create a credential',
        description: 'Secret fields, encrypted at rest; nodes read them as {{ $credentials.<name>.<field> }}.',
        body: CreateBody,
        querystring: EntityQuery,
        response: { 201: CredentialAnswer, ...errors(409) },
      },
    },
    async (request, reply) => {
      const created = await credentials.create(principalOf(request), {
        ...request.body,
        entity_id: entityIdOf(request),
      });
      reply.status(201);
      return ok(credentialView(created), 'Credential created successfully');
    },
  );

  app.get(
    '/api/v1/credentials',
    {
      config: { access: { kind: 'entity' } },
      schema: { tags, summary: 'List credentials', querystring: ListQuery, response: { 200: CredentialListAnswer } },
    },
    async (request) => {
      const { entity_id, page, per_page } = request.query;
      const { rows, pagination } = await credentials.list(entity_id, { page, per_page });
      return paged(rows.map(credentialView), pagination);
    },
  );

  app.get(
    '/api/v1/credentials/:credential_id',
    {
      config: { access: { kind: 'credential' } },
      schema: { tags, summary: 'Get a credential', params: CredentialParams, response: { 200: CredentialAnswer } },
    },
    async (request) => ok(credentialView(credentialOf(request))),
  );

  app.put(
    '/api/v1/credentials/:credential_id',
    {
      config: { access: { kind: 'credential' } },
      schema: {
        tags,
        summary: 'Update a credential',
        description: 'Fields set to null are removed; fields left out stay.',
        params: CredentialParams,
        body: UpdateBody,
        response: { 200: CredentialAnswer, ...errors(409) },
      },
    },
    async (request) =>
      ok(credentialView(await credentials.update(credentialOf(request), request.body)), 'Credential updated'),
  );

  app.delete(
    '/api/v1/credentials/:credential_id',
    {
      config: { access: { kind: 'credential' } },
      schema: { tags, summary: 'Delete a credential', params: CredentialParams, response: { 200: DeletedAnswer } },
    },
    async (request) => {
      const credential = credentialOf(request);
      await credentials.remove(credential);
      return ok({ credential_id: credential.credential_id, deleted: true }, 'Credential deleted');
    },
  );
};
