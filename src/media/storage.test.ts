// FilesystemStorage: round trips, atomic replacement, and keys that must never reach the filesystem.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertValidKey, FilesystemStorage } from './storage.ts';

describe('FilesystemStorage', () => {
  let root: string;
  let storage: FilesystemStorage;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'dateline-storage-'));
    storage = new FilesystemStorage(root);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores, reads, checks and deletes bytes by key', async () => {
    const key = 'originals/abc.jpg';
    assert.equal(await storage.has(key), false);
    assert.equal(await storage.get(key), null);
    await storage.put(key, Buffer.from('hello'));
    assert.equal(await storage.has(key), true);
    assert.deepEqual(await storage.get(key), Buffer.from('hello'));
    await storage.delete(key);
    assert.equal(await storage.has(key), false);
    assert.equal(await storage.get(key), null);
  });

  it('treats deleting a missing key, or a key under a file, as nothing to do', async () => {
    await storage.delete('never/was.jpg');
    await storage.put('plain.jpg', Buffer.from('x'));
    assert.equal(await storage.get('plain.jpg/inner.jpg'), null);
    assert.equal(await storage.has('plain.jpg/inner.jpg'), false);
  });

  it('replaces bytes whole and leaves no temporary files behind', async () => {
    const key = 'renditions/7/800.webp';
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        storage.put(key, Buffer.alloc(50_000 + i, String.fromCharCode(65 + i))),
      ),
    );
    const bytes = await storage.get(key);
    assert.ok(bytes);
    // Whichever write won, it is one writer's bytes from start to end.
    const first = bytes[0];
    assert.ok(bytes.every((b) => b === first));
    assert.equal(bytes.length, 50_000 + (first! - 65));
    assert.deepEqual(await readdir(join(root, 'renditions', '7')), ['800.webp']);
  });

  it('refuses keys that could escape the root or are not plain relative paths', async () => {
    const bad = [
      '',
      '../etc/passwd',
      'a/../../b',
      '/etc/passwd',
      'a//b',
      'a/./b',
      '.hidden',
      'a\\b',
      'a#b',
      'a/b/',
    ];
    for (const key of bad) {
      assert.throws(() => assertValidKey(key), /not allowed/, key);
      await assert.rejects(storage.put(key, Buffer.from('x')), /not allowed/, key);
      await assert.rejects(storage.get(key), /not allowed/, key);
    }
    assert.doesNotThrow(() => assertValidKey('originals/0f3a.webp'));
  });
});
