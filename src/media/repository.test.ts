// MediaRepository on both dialects: what goes in comes back as a plain record, whatever the driver returns.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { insertAccount } from '../accounts/repository.ts';
import { MediaRepository, type NewMediaRecord } from './repository.ts';

function sample(overrides: Partial<NewMediaRecord> = {}): NewMediaRecord {
  return {
    storageKey: 'originals/aaaa.jpg',
    sha256: 'aaaa',
    mime: 'image/jpeg',
    width: 1200,
    height: 800,
    bytes: 12345,
    caption: 'Crowds on the quay — “a day to remember”',
    credit: 'AFP / Jane Doe',
    alt: 'People waving flags',
    ...overrides,
  };
}

describeEachDialect('MediaRepository', (ctx) => {
  let repo: MediaRepository;
  before(() => {
    repo = new MediaRepository(ctx.db);
  });

  it('inserts and reads back a plain record with a Date', async () => {
    const started = Date.now();
    const made = await repo.insert(sample());
    assert.ok(made.id > 0);
    assert.ok(made.createdAt instanceof Date);
    assert.ok(Math.abs(made.createdAt.getTime() - started) < 60_000);
    const found = await repo.findById(made.id);
    assert.deepEqual(found, made);
    assert.deepEqual(
      { ...found, id: 0, createdAt: null },
      {
        ...sample(),
        id: 0,
        createdAt: null,
        // A new picture's crops centre, its text as sent is its text, and nobody has changed it yet.
        focalX: 0.5,
        focalY: 0.5,
        focalVersion: 0,
        filename: '',
        uploadedBy: null,
        sentCaption: sample().caption,
        sentCredit: sample().credit,
        sentAlt: sample().alt,
        textEditedBy: null,
        textEditedAt: null,
      },
    );
  });

  it('keeps the file name and uploader it is given', async () => {
    const account = await insertAccount(ctx.db.kysely, {
      email: 'uploader@example.test',
      emailVerifiedAt: null,
      displayName: 'Up Loader',
      passwordHash: null,
    });
    const made = await repo.insert(sample({ filename: 'quay.jpg', uploadedBy: account }));
    const found = await repo.findById(made.id);
    assert.deepEqual([found?.filename, found?.uploadedBy], ['quay.jpg', account]);
  });

  it('answers null for unknown ids, including ones no integer column can hold', async () => {
    assert.equal(await repo.findById(999_999), null);
    assert.equal(await repo.findById(99_999_999_999), null);
    assert.equal(await repo.findById(0), null);
    assert.equal(await repo.findById(1.5), null);
  });

  it('lets several records share one original and reports the real key for each', async () => {
    const first = await repo.insert(
      sample({ storageKey: 'originals/bbbb.png', sha256: 'bbbb', caption: 'one' }),
    );
    const second = await repo.insert(
      sample({ storageKey: 'originals/bbbb.png', sha256: 'bbbb', caption: 'two' }),
    );
    assert.notEqual(first.id, second.id);
    assert.equal(second.storageKey, 'originals/bbbb.png');
    assert.equal((await repo.findById(second.id))?.storageKey, 'originals/bbbb.png');
    const bySha = await repo.findBySha256('bbbb');
    assert.deepEqual(
      bySha.map((r) => [r.id, r.caption, r.storageKey]),
      [
        [first.id, 'one', 'originals/bbbb.png'],
        [second.id, 'two', 'originals/bbbb.png'],
      ],
    );
    assert.deepEqual(await repo.findBySha256('nope'), []);
  });

  it('finds many by id, skipping missing and repeated ids', async () => {
    const a = await repo.insert(sample({ storageKey: 'originals/cccc.jpg', sha256: 'cccc' }));
    const b = await repo.insert(sample({ storageKey: 'originals/dddd.jpg', sha256: 'dddd' }));
    const found = await repo.findManyByIds([b.id, a.id, b.id, 424_242, 99_999_999_999]);
    assert.deepEqual(
      [...found.keys()].sort((x, y) => x - y),
      [a.id, b.id],
    );
    assert.equal(found.get(a.id)?.sha256, 'cccc');
    assert.equal((await repo.findManyByIds([])).size, 0);
  });
});
