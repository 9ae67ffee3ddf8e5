// Types for the form engine's `ajv-i18n/localize/zh` import (see ajv-formats-types.d.ts).
type Localize = (errors?: readonly unknown[] | null) => void;
declare const localize: Localize | { readonly default: Localize };
export default localize;
