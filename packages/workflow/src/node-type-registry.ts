import type { NodeType } from './node-type.ts';

/**
 * The node types a workflow may use, by type and version. Immutable: `with` returns a new
 * registry, so a published workflow compiled against one registry never sees it change.
 */
export class NodeTypeRegistry {
  readonly #types: ReadonlyMap<string, NodeType>;

  private constructor(types: ReadonlyMap<string, NodeType>) {
    this.#types = types;
  }

  /** A registry of the given types; two entries with the same type and version are refused. */
  static of(types: readonly NodeType[]): NodeTypeRegistry {
    return new NodeTypeRegistry(new Map()).with(...types);
  }

  /** A new registry with more types (a new version of a type keeps the old ones registered). */
  with(...types: readonly NodeType[]): NodeTypeRegistry {
    const next = new Map(this.#types);
    for (const nodeType of types) {
      const key = `${nodeType.type}@${nodeType.version}`;
      if (next.has(key)) throw new Error(`Node type ${key} is registered twice`);
      next.set(key, nodeType);
    }
    return new NodeTypeRegistry(next);
  }

  /** The node type `type` at `version`, or undefined. */
  get(type: string, version: number): NodeType | undefined {
    return this.#types.get(`${type}@${version}`);
  }

  /** Every registered type and version, for the designer's palette and the docs. */
  list(): readonly NodeType[] {
    return [...this.#types.values()];
  }
}
