/** The timeline actions the web app has words for; others show as the server names them. */
const TIMELINE_ACTIONS = [
  'started',
  'approved',
  'rejected',
  'returned',
  'resubmitted',
  'withdrawn',
  'transferred',
  'signer-added',
  'claimed',
  'released',
  'commented',
  'cc',
  'reminded',
  'reminder-sent',
  'escalated',
  'step-approved',
  'step-rejected',
  'cancelled',
  'ended',
] as const;

/** An action of an instance's history that has a label. */
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

/** `action` as a label key, or undefined when the app has no words for it. */
export function timelineActionKey(action: string): TimelineAction | undefined {
  return TIMELINE_ACTIONS.find((known) => known === action);
}
