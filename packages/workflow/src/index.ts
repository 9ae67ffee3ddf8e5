export type { AdvanceResult } from './advance.ts';
export { advance } from './advance.ts';
export { builtInNodeTypes } from './built-in-node-types.ts';
export type { ValidationResult } from './compile-workflow.ts';
export { compileWorkflow, validateWorkflow } from './compile-workflow.ts';
export type { CompiledNode, CompiledWorkflow } from './compiled-workflow.ts';
export type { WorkflowDefinitionJson, WorkflowNodeJson } from './definition.ts';
export type {
  AppendHistoryEffect,
  CallWebhookEffect,
  CancelJobEffect,
  CloseTaskEffect,
  CreateRecordEffect,
  HistoryEntry,
  InstanceFinishedEffect,
  InstanceOutcome,
  JobKind,
  NotificationKind,
  NotifyEffect,
  OpenTaskEffect,
  ScheduleJobEffect,
  TaskCloseReason,
  UpdateRecordEffect,
  UpdateTaskEffect,
  WorkflowEffect,
} from './effects.ts';
export type { EngineContext } from './engine-context.ts';
export type { WorkflowEnv } from './env.ts';
export type {
  ActionEvent,
  ExternalEvent,
  JobResultEvent,
  ReturnTarget,
  StartEvent,
  TimerEvent,
  WorkflowAction,
  WorkflowEvent,
} from './events.ts';
export type { EditCheck } from './field-permissions.ts';
export {
  allowedEdits,
  assertAllowedEdits,
  fieldPermissionsOf,
  visibleFields,
} from './field-permissions.ts';
export type { CommitteeRule } from './fixtures/lending-approval.ts';
export { lendingApprovalDefinition } from './fixtures/lending-approval.ts';
export type {
  InstanceState,
  JobState,
  Scope,
  Seat,
  StepRun,
  TaskState,
  Token,
  Visit,
} from './instance-state.ts';
export type { NodeBehaviour, NodeRole, NodeType, NodeTypeSpec, Successor } from './node-type.ts';
export { defineNodeType } from './node-type.ts';
export { NodeTypeRegistry } from './node-type-registry.ts';
export { approvalNode } from './nodes/approval-node.ts';
export { automatedNode } from './nodes/automated-node.ts';
export { branchNode } from './nodes/branch-node.ts';
export { endNode } from './nodes/end-node.ts';
export { joinNode } from './nodes/join-node.ts';
export { notifyNode } from './nodes/notify-node.ts';
export { raceNode } from './nodes/race-node.ts';
export { splitNode } from './nodes/split-node.ts';
export { startNode } from './nodes/start-node.ts';
export { waitNode } from './nodes/wait-node.ts';
export type { OrgDelegation, OrgDepartment, OrgSnapshot, OrgUser } from './org-snapshot.ts';
export { delegateOf, managerOf, membersOfRole } from './org-snapshot.ts';
export type { DefinitionProblem } from './problem.ts';
export type { Infer, Schema, SchemaProblem } from './schema.ts';
export * as schema from './schema.ts';
export type {
  AssigneeSpec,
  CountersignMode,
  FieldPermissions,
  StepConfig,
} from './step-config.ts';
export { mayActOn } from './task-access.ts';
