import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { JoineryError } from '@joinery/shared';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { myAccessRoutes } from './access/my-access.routes.ts';
import { roleRoutes } from './access/roles.routes.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { ApiTokenStore } from './auth/api-token-store.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { installAuthentication } from './auth/authenticate.ts';
import { LoginThrottle } from './auth/login-throttle.ts';
import { SessionStore } from './auth/session-store.ts';
import { automationRoutes } from './automation/automation.routes.ts';
import { AutomationRuleStore } from './automation/automation-rule-store.ts';
import { inboundHookRoutes } from './automation/inbound-hook.routes.ts';
import { installClock } from './clock/install-clock.ts';
import type { Config } from './config/config.ts';
import type { JoineryDatabase } from './database/schema.ts';
import { FileStore } from './files/file-store.ts';
import { fileRoutes } from './files/files.routes.ts';
import { requireAccessPolicies } from './http/access-policy.ts';
import { installErrorHandler } from './http/error-handler.ts';
import { healthRoutes } from './http/health.routes.ts';
import { type DemoAccount, metaRoutes } from './http/meta.routes.ts';
import { installSecurityHeaders } from './http/security-headers.ts';
import { installValidatorCompiler } from './http/validator-compiler.ts';
import { serveWebApp } from './http/web-app.ts';
import { apiTokenRoutes } from './identity/api-tokens.routes.ts';
import { departmentRoutes } from './identity/departments.routes.ts';
import { userRoutes } from './identity/users.routes.ts';
import { metadataRoutes } from './metadata/metadata.routes.ts';
import { notificationRoutes } from './notifications/notifications.routes.ts';
import { importRoutes } from './records/imports.routes.ts';
import { RecordService } from './records/record-service.ts';
import { recordRoutes } from './records/records.routes.ts';
import { reportRoutes } from './reports/reports.routes.ts';
import { VERSION } from './version.ts';
import { workflowRoutes } from './workflow/workflow.routes.ts';
import { delegatedTasks } from './workflow/workflow-delegated-tasks.ts';
import { createWorkflowServices, type WorkflowServices } from './workflow/workflow-services.ts';

/** What the HTTP application is built from. */
export interface AppContext {
  readonly config: Config;
  readonly db: Kysely<JoineryDatabase>;
  readonly logger: Logger;
  readonly demoAccounts?: () => readonly DemoAccount[];
  /** The workflow runtime shared with the job worker (built here when not given). */
  readonly workflow?: WorkflowServices;
}

/**
 * Builds the HTTP application: security plugins, authentication, the error handler, every API
 * route (each declares its access policy and JSON schemas), the OpenAPI document and the web app.
 */
export async function buildApp(context: AppContext): Promise<FastifyInstance> {
  const { config, db, logger } = context;
  // Widened once here so every plugin sees fastify's own logger type.
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    ajv: {
      // fastify's compiler already adds ajv-formats (email, uuid, date-time…).
      customOptions: {
        allErrors: true,
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installValidatorCompiler(app);
  // One clock for every route: the workflow runtime's (the test clock when configured).
  const workflow = context.workflow ?? createWorkflowServices({ config, db, logger });
  installClock(app, workflow.clock);
  requireAccessPolicies(app);
  installErrorHandler(app);

  await installSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its styles at run time; scripts stay strict (no unsafe-eval, no inline).
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: config.cookieSecure,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      return new JoineryError('JNY_REQUEST_RATE_LIMITED', {
        retryAfter: Math.ceil(context.ttl / 1000),
      });
    },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Joinery API',
        version: VERSION,
        description:
          'Every route of Joinery. Authenticate with the session cookie (plus the x-csrf-token header on changes) or with `Authorization: Bearer <API token>`. Errors are `{ error: { code, message, fields? } }`, localized by Accept-Language (zh-CN or en).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'jny_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  const sessions = new SessionStore(db, {
    ttlMinutes: config.sessionTtlMinutes,
    idleMinutes: config.sessionIdleMinutes,
  });
  const tokens = new ApiTokenStore(db);
  installAuthentication(app, { sessions, tokens });

  await app.register(healthRoutes, { db });
  await app.register(metaRoutes, {
    version: VERSION,
    demo: config.demo,
    utcOffsetMinutes: workflow.clock.utcOffsetMinutes,
    demoAccounts: context.demoAccounts ?? (() => []),
  });
  await app.register(authRoutes, {
    db,
    sessions,
    throttle: new LoginThrottle(db, {
      maxFailures: config.loginMaxFailures,
      lockSeconds: config.loginLockSeconds,
    }),
    cookieSecure: config.cookieSecure,
    sessionTtlMinutes: config.sessionTtlMinutes,
  });
  await app.register(userRoutes, { db, sessions });
  await app.register(departmentRoutes, { db });
  await app.register(apiTokenRoutes, { db, tokens });
  await app.register(workflowRoutes, { services: workflow });
  await app.register(roleRoutes, { db });
  await app.register(auditRoutes, { db });
  // One registry for the records API and workflow steps: automation rules listen to its writes.
  const forms = workflow.forms;
  await app.register(metadataRoutes, { db, forms });
  await app.register(myAccessRoutes, { db, forms });
  const records = new RecordService(db, forms, config.utcOffsetMinutes);
  await app.register(recordRoutes, { records, db });
  await app.register(importRoutes, { db, records, dataDir: config.dataDir });
  await app.register(fileRoutes, {
    db,
    records,
    files: new FileStore(config.dataDir),
    delegatedOf: (principal) => delegatedTasks(workflow, principal),
  });
  await app.register(reportRoutes, {
    db,
    forms,
    timeoutMs: config.reportTimeoutMs,
    clock: workflow.clock,
  });
  await app.register(automationRoutes, {
    db,
    rules: new AutomationRuleStore(db, forms, workflow.clock),
  });
  await app.register(inboundHookRoutes, { db, automation: workflow.automation });
  await app.register(notificationRoutes, { db, clock: workflow.clock });
  await serveWebApp(app, config.webDir);
  return app;
}
