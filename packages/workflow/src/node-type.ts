import type { LocalizedText } from '@joinery/shared';
import type { EngineContext } from './engine-context.ts';
import type { JobState, Token } from './instance-state.ts';
import type { Schema, SchemaProblem } from './schema.ts';
import type { StepConfig } from './step-config.ts';

/** An outgoing edge of a node, for graph validation and the designer. */
export interface Successor {
  readonly to: string;
  /** Where in the params the edge is declared (a JSON pointer below the node's params). */
  readonly path: string;
  readonly label?: string;
}

/** The part a node plays in the graph structure, which graph validation checks. */
export type NodeRole =
  | {
      readonly kind: 'start';
      /** Where a resubmission resumes after a return to the submitter. */
      readonly resubmit: 'returning-step' | 'restart';
    }
  | { readonly kind: 'end' }
  | { readonly kind: 'step'; readonly step: StepConfig }
  | { readonly kind: 'split'; readonly joinNodeId: string; readonly branches: number }
  | {
      readonly kind: 'join';
      readonly splitNodeId: string;
      /** Arrivals needed, or 'all' activated branches. */
      readonly required: number | 'all';
    }
  | { readonly kind: 'other' };

/**
 * A node bound to its validated parameters: what the engine calls. Handlers receive the working
 * context and the token at this node, and express everything they do through the context (which
 * records effects), never by I/O.
 */
export interface NodeBehaviour {
  readonly role: NodeRole;
  readonly successors: readonly Successor[];
  /**
   * True when a token always passes straight through (start, branch, split, join, notify):
   * a loop made only of such nodes would spin forever, so graph validation refuses it.
   */
  readonly instant?: boolean;
  /** A token arrives at the node. */
  enter(ctx: EngineContext, token: Token): void;
  /** A job scheduled by this node for `token` fired. */
  onTimer?(ctx: EngineContext, token: Token, job: JobState): void;
  /** The node's step (approval, race) reached a result. */
  onStepDone?(ctx: EngineContext, token: Token, outcome: 'approved' | 'rejected'): void;
  /** An external event this node's token waits for arrived. */
  onEvent?(ctx: EngineContext, token: Token, name: string): void;
  /** A job the node waits for reported back. */
  onJobResult?(ctx: EngineContext, token: Token, ok: boolean, error: string | undefined): void;
}

/** What a node type declares; see `defineNodeType`. */
export interface NodeTypeSpec<P> {
  readonly type: string;
  readonly version: number;
  readonly description: string;
  readonly params: Schema<P>;
  /** Checks beyond the schema (consistency between settings). Messages only; the caller adds ids. */
  check?(params: P): readonly SchemaProblem[];
  /** Binds validated params into behaviour. May report more problems (e.g. bad conditions). */
  build(params: P, problems: SchemaProblem[]): NodeBehaviour;
}

/** A registered node type, with its parameter type erased (closures keep it typed inside). */
export interface NodeType {
  readonly type: string;
  readonly version: number;
  readonly description: string;
  readonly paramsShape: string;
  /** Validates raw params and binds them; problems carry pointers relative to `path`. */
  bind(raw: unknown, path: string, problems: SchemaProblem[]): NodeBehaviour | undefined;
}

/**
 * Declares a node type. The parameter type is inferred from the schema, and `build` sees only
 * validated params, so node code never checks shapes. Register the result in a
 * `NodeTypeRegistry`; old versions stay registered next to new ones.
 */
export function defineNodeType<P>(spec: NodeTypeSpec<P>): NodeType {
  return Object.freeze({
    type: spec.type,
    version: spec.version,
    description: spec.description,
    paramsShape: spec.params.describe,
    bind(raw: unknown, path: string, problems: SchemaProblem[]): NodeBehaviour | undefined {
      const before = problems.length;
      const params = spec.params.parse(raw ?? {}, path, problems);
      if (params === undefined || problems.length > before) return undefined;
      for (const p of spec.check?.(params) ?? []) {
        problems.push({ path: `${path}${p.path}`, message: p.message });
      }
      const local: SchemaProblem[] = [];
      const behaviour = spec.build(params, local);
      for (const p of local) problems.push({ path: `${path}${p.path}`, message: p.message });
      return problems.length > before ? undefined : behaviour;
    },
  });
}

/** A display name in either form the designer saves. */
export type NodeName = string | LocalizedText;
