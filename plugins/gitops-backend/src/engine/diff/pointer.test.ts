import { formatPointer, parsePointer, removeInPlace, valueAt } from './pointer';

describe('JSON pointers', () => {
  it('decodes ~1 as "/" and ~0 as "~", in that order', () => {
    expect(parsePointer('/metadata/annotations/example.com~1owner')).toEqual([
      'metadata',
      'annotations',
      'example.com/owner',
    ]);
    expect(parsePointer('/a~01')).toEqual(['a~1']);
    expect(parsePointer('')).toEqual([]);
    expect(parsePointer('/')).toEqual(['']);
  });

  it('formats what it parses', () => {
    const segments = ['metadata', 'labels', 'app.kubernetes.io/name~x'];
    expect(formatPointer(segments)).toBe(
      '/metadata/labels/app.kubernetes.io~1name~0x',
    );
    expect(parsePointer(formatPointer(segments))).toEqual(segments);
  });

  it.each(['spec/replicas', '/spec/a~2b', '/a~'])('rejects %s', pointer => {
    expect(parsePointer(pointer)).toEqual({
      pointer,
      message: expect.any(String),
    });
  });

  it('looks values up through objects and array indexes', () => {
    const doc = { spec: { ports: [{ port: 80 }, { port: 443 }] } };
    expect(valueAt(doc, ['spec', 'ports', '1', 'port'])).toBe(443);
    expect(valueAt(doc, ['spec', 'ports', '01', 'port'])).toBeUndefined();
    expect(valueAt(doc, ['spec', 'missing', 'x'])).toBeUndefined();
  });

  it('removes a value and prunes the objects it empties, not array items', () => {
    const doc = {
      metadata: { name: 'web', annotations: { a: '1' } },
      spec: { ports: [{ port: 80 }] },
    };
    expect(removeInPlace(doc, ['metadata', 'annotations', 'a'])).toBe(true);
    expect(doc.metadata).toEqual({ name: 'web' });
    expect(removeInPlace(doc, ['spec', 'ports', 0, 'port'])).toBe(true);
    expect(doc.spec).toEqual({ ports: [{}] });
    expect(removeInPlace(doc, ['spec', 'ports', 0])).toBe(true);
    expect(doc.spec).toEqual({ ports: [] });
    expect(removeInPlace(doc, ['spec', 'nothing'])).toBe(false);
  });

  // Found by ignoreDifferences.fuzz.test.ts: `/__proto__/toString` walked
  // into Object.prototype and deleted its members for the whole backend.
  it('never reaches what objects inherit', () => {
    const doc: Record<string, unknown> = { spec: {} };
    expect(valueAt(doc, ['__proto__'])).toBeUndefined();
    expect(removeInPlace(doc, ['__proto__', 'toString'])).toBe(false);
    expect(removeInPlace(doc, ['__proto__', '__proto__'])).toBe(false);
    expect(removeInPlace(doc, ['constructor'])).toBe(false);
    expect(Object.hasOwn(Object.prototype, 'toString')).toBe(true);
    // A key of that name in the object itself is an ordinary key.
    const own = JSON.parse('{"data":{"__proto__":"x","a":"b"}}');
    expect(removeInPlace(own, ['data', '__proto__'])).toBe(true);
    expect(own).toEqual({ data: { a: 'b' } });
  });
});
