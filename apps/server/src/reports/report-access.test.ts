import { describe, expect, it } from 'vitest';
import { inlineUserLists } from './report-access.ts';

describe('inlineUserLists', () => {
  const user = { id: 'u1', departmentMemberIds: ['u1', 'u2'], subtreeMemberIds: [] };

  it('turns membership in a $user list into equalities (uuid columns have no text[] operator)', () => {
    expect(
      inlineUserLists({ in: [{ var: 'owner' }, { var: '$user.departmentMemberIds' }] }, user),
    ).toEqual({
      or: [{ '==': [{ var: 'owner' }, 'u1'] }, { '==': [{ var: 'owner' }, 'u2'] }],
    });
  });

  it('answers false for an empty list, inside any nesting, and leaves other logic alone', () => {
    const scope = {
      and: [
        { in: [{ var: 'owner' }, { var: '$user.subtreeMemberIds' }] },
        { in: [{ var: 'status' }, ['a', 'b']] },
        { '==': [{ var: 'owner' }, { var: '$user.id' }] },
      ],
    };
    expect(inlineUserLists(scope, user)).toEqual({
      and: [
        false,
        { in: [{ var: 'status' }, ['a', 'b']] },
        { '==': [{ var: 'owner' }, { var: '$user.id' }] },
      ],
    });
  });
});
