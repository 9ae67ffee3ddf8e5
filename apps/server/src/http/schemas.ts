import { Type } from 'typebox';

/** Shared pieces of route schemas. */
export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const LocaleSchema = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]);

/** The error body every route may answer with (documented in OpenAPI). */
export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    fields: Type.Optional(Type.Array(Type.Object({ field: Type.String(), reason: Type.String() }))),
  }),
});

/** Standard error responses for a route that may fail on input or authentication. */
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  429: ErrorResponse,
} as const;
