export type { FormAccess } from './form-access.ts';
export { FULL_ACCESS, formAccess } from './form-access.ts';
export type { MaskRule } from './masking.ts';
export { MASK_RULES, maskValue } from './masking.ts';
export type {
  AppPermission,
  FieldRights,
  FormAction,
  FormPermission,
  JsonLogic,
  RolePermissions,
  RowScope,
} from './role-permissions.ts';
export { FORM_ACTIONS, rolePermissionsSchema } from './role-permissions.ts';
export { OWNER_FIELD, rowScopeLogic } from './row-scope.ts';
