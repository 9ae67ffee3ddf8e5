import { describe, expect, it } from 'vitest';
import { maskedEchoPaths } from './masked-echoes.ts';

describe('maskedEchoPaths', () => {
  const loaded = {
    mobile: '138****1234',
    name: 'a*b',
    guarantors: [
      { id: 'r1', name: '李四', mobile: '139****2222' },
      { id: 'r2', name: '王五', mobile: '137****3333' },
    ],
  };

  it('names masked values sent back as loaded, in rows matched by id', () => {
    const sent = {
      mobile: '138****1234',
      guarantors: [
        { id: 'r2', name: '王五', mobile: '137****3333' },
        { id: 'r1', name: '李四光', mobile: '139****2222' },
      ],
    };
    expect([...maskedEchoPaths(sent, loaded)].sort()).toEqual([
      'guarantors/0/mobile',
      'guarantors/1/mobile',
      'mobile',
    ]);
  });

  it('leaves out new values, new rows and values without a mask', () => {
    const sent = {
      mobile: '13800001111',
      name: 'a*c',
      guarantors: [{ name: '新人', mobile: '139****2222' }],
    };
    expect([...maskedEchoPaths(sent, loaded)]).toEqual([]);
  });
});
