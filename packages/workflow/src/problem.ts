/**
 * One thing wrong with a workflow definition. `nodeId` names the node at fault (absent only for
 * definition-wide problems such as a missing start node); `path` is a JSON pointer into the
 * definition, so the designer can highlight the exact setting.
 */
export interface DefinitionProblem {
  readonly nodeId?: string;
  readonly path: string;
  readonly message: string;
}
