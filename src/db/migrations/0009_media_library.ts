// The media library in the newsroom admin: where a picture's crops centre (the focal point, with a version
// that goes into cropped rendition URLs so caches never serve an old crop), the file name and the account
// that uploaded it, the caption, credit and alt text as first sent (wire pictures keep the agency's text; an
// editor's change is recorded beside it, with who and when), and an index of which stories show each picture.
// Immutable once landed: later changes go in new migrations.
import type { AlterTableBuilder, ColumnDefinitionBuilder } from 'kysely';
import { type AnyDb, columns, type Dialect } from '../columns.ts';

type Col = ColumnDefinitionBuilder;

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const c = columns(dialect);
  // SQLite allows one column per ALTER TABLE, so each is its own statement on both dialects.
  const add = (
    name: string,
    type: Parameters<AlterTableBuilder['addColumn']>[1],
    build = (col: Col) => col,
  ) => db.schema.alterTable('media').addColumn(name, type, build).execute();
  const notNullDefault = (value: string | number) => (col: Col) => col.notNull().defaultTo(value);
  const staffAccount = (col: Col) => col.references('users.id').onDelete('set null');

  // 0..1 across and down the picture as displayed (after EXIF rotation); the centre until an editor moves it.
  await add('focal_x', 'double precision', notNullDefault(0.5));
  await add('focal_y', 'double precision', notNullDefault(0.5));
  await add('focal_version', 'integer', notNullDefault(0));
  await add('filename', 'text', notNullDefault(''));
  await add('uploaded_by', 'integer', staffAccount);
  await add('sent_caption', 'text', notNullDefault(''));
  await add('sent_credit', 'text', notNullDefault(''));
  await add('sent_alt', 'text', notNullDefault(''));
  await add('text_edited_by', 'integer', staffAccount);
  await add('text_edited_at', c.time);
  // Until now nothing could change a picture's text after upload, so what is there is what was sent.
  await db
    .updateTable('media')
    .set((eb) => ({
      sent_caption: eb.ref('caption'),
      sent_credit: eb.ref('credit'),
      sent_alt: eb.ref('alt'),
    }))
    .execute();

  // Which stories show a picture, as their lead or inside the body: derived from articles (lead_media_id and
  // the /media/<id>/ addresses in body_html) and kept in step by src/media/usage.ts.
  await db.schema
    .createTable('media_usage')
    .addColumn('media_id', 'integer', (col) => col.notNull())
    .addColumn('article_id', 'integer', (col) => col.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('media_usage_pk', ['media_id', 'article_id', 'kind'])
    .execute();
  await db.schema.createIndex('media_usage_article').on('media_usage').column('article_id').execute();
  // The version of each story the usage rows were read from: a story whose modified_at differs is read again.
  await db.schema
    .createTable('media_usage_scans')
    .addColumn('article_id', 'integer', (col) =>
      col.primaryKey().references('articles.id').onDelete('cascade'),
    )
    .addColumn('article_modified_at', c.time, (col) => col.notNull())
    .execute();
  // Stories changed since the last look are found through articles_modified (0008_story_editing).
}
