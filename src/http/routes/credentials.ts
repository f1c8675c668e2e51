/**
 * @module http/routes/credentials
 * An entity's credentials: create and list (entity members), get, update and delete (members of
 * the credential's entity). Answers carry field names, never values.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CREDENTIAL_NAME_PATTERN } from '../../core/credential-refs.ts';
import { type CredentialService, credentialView } from '../../services/credentials.ts';
import { credentialOf, entityIdOf, principalOf } from '../access.ts';
import { ok, PageQuery, paged, Uuid } from '../envelope.ts';

const tags = ['credentials'];
const EntityId = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Name = Type.String({
  pattern: CREDENTIAL_NAME_PATTERN,
  description: 'used as {{ $credentials.<name>.<field> }}',
});
const CredentialType = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', description: 'e.g. api_key, basic_auth' });
const Value = Type.String({ minLength: 1, maxLength: 16_384 });
const Fields = Type.Record(Type.String({ pattern: CREDENTIAL_NAME_PATTERN }), Value, {
  minProperties: 1,
  maxProperties: 50,
});

const CreateBody = Type.Object(
  {
    entity_id: Type.Optional(EntityId),
    name: Name,
    type: CredentialType,
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    fields: Fields,
  },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
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

export const credentialRoutes: FastifyPluginAsyncTypebox<{ readonly credentials: CredentialService }> = async (
  app,
  { credentials },
) => {
  app.post(
    '/api/v1/credentials',
    { config: { access: { kind: 'entity' } }, schema: { tags, body: CreateBody, querystring: EntityQuery } },
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
    { config: { access: { kind: 'entity' } }, schema: { tags, querystring: ListQuery } },
    async (request) => {
      const { entity_id, page, per_page } = request.query;
      const { rows, pagination } = await credentials.list(entity_id, { page, per_page });
      return paged(rows.map(credentialView), pagination);
    },
  );

  app.get(
    '/api/v1/credentials/:credential_id',
    { config: { access: { kind: 'credential' } }, schema: { tags, params: CredentialParams } },
    async (request) => ok(credentialView(credentialOf(request))),
  );

  app.put(
    '/api/v1/credentials/:credential_id',
    { config: { access: { kind: 'credential' } }, schema: { tags, params: CredentialParams, body: UpdateBody } },
    async (request) =>
      ok(credentialView(await credentials.update(credentialOf(request), request.body)), 'Credential updated'),
  );

  app.delete(
    '/api/v1/credentials/:credential_id',
    { config: { access: { kind: 'credential' } }, schema: { tags, params: CredentialParams } },
    async (request) => {
      const credential = credentialOf(request);
      await credentials.remove(credential);
      return ok({ credential_id: credential.credential_id, deleted: true }, 'Credential deleted');
    },
  );
};
