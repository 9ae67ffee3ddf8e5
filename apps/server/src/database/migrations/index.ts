import type { Migration } from 'kysely/migration';
import * as identity from './0001-identity.ts';
import * as access from './0002-access.ts';
import * as workflow from './0003-workflow.ts';
import * as formsAndRecords from './0004-forms-and-records.ts';
import * as automation from './0005-automation.ts';
import * as workflowOrgVersion from './0006-workflow-org-version.ts';
import * as reports from './0007-reports.ts';
import * as workflowDelegations from './0011-workflow-delegations.ts';
import * as automationDateTriggers from './0012-automation-date-triggers.ts';
import * as userNotifications from './0013-user-notifications.ts';
import * as dashboardWidgetIds from './0015-dashboard-widget-ids.ts';
import * as automationDateRetries from './0016-automation-date-retries.ts';
import * as recordHistoryImportBatches from './0017-record-history-import-batches.ts';
import * as dropDuplicateCreatedIndexes from './0018-drop-duplicate-created-indexes.ts';
import * as workflowHotUpdates from './0019-workflow-hot-updates.ts';
import * as credentialGuards from './0020-credential-guards.ts';

/**
 * Joinery's own schema, version by version. Names sort in the order they apply; a released
 * migration is never edited — add a new one.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-identity': identity,
  '0002-access': access,
  '0003-workflow': workflow,
  '0004-forms-and-records': formsAndRecords,
  '0005-automation': automation,
  '0006-workflow-org-version': workflowOrgVersion,
  '0007-reports': reports,
  '0011-workflow-delegations': workflowDelegations,
  '0012-automation-date-triggers': automationDateTriggers,
  '0013-user-notifications': userNotifications,
  '0015-dashboard-widget-ids': dashboardWidgetIds,
  '0016-automation-date-retries': automationDateRetries,
  '0017-record-history-import-batches': recordHistoryImportBatches,
  '0018-drop-duplicate-created-indexes': dropDuplicateCreatedIndexes,
  '0019-workflow-hot-updates': workflowHotUpdates,
  '0020-credential-guards': credentialGuards,
};
