import { FieldCipher } from './field-cipher.js';

describe('FieldCipher', () => {
  const cipher = new FieldCipher('a'.repeat(32));
  const id = '33030219900307001X';

  it('opens what it sealed, with a fresh IV each time', () => {
    const a = cipher.seal(id);
    const b = cipher.seal(id);
    expect(a.equals(b)).toBe(false);
    expect(cipher.open(a)).toBe(id);
    expect(cipher.open(b)).toBe(id);
    expect(a.includes(Buffer.from(id))).toBe(false);
  });

  it('refuses an altered value and a value sealed under another key', () => {
    const sealed = cipher.seal(id);
    const altered = Buffer.from(sealed);
    altered[altered.length - 1] ^= 1;
    expect(() => cipher.open(altered)).toThrow();
    expect(() => new FieldCipher('b'.repeat(32)).open(sealed)).toThrow();
    expect(() => cipher.open(Buffer.from('short'))).toThrow('not a sealed value');
  });

  it('hashes equal values equally, under its own key only', () => {
    expect(cipher.lookupHash(id).equals(cipher.lookupHash(id))).toBe(true);
    expect(cipher.lookupHash(id).equals(cipher.lookupHash('330302199003070028'))).toBe(false);
    expect(cipher.lookupHash(id).equals(new FieldCipher('b'.repeat(32)).lookupHash(id))).toBe(false);
    expect(cipher.lookupHash(id)).toHaveLength(32);
  });
});
