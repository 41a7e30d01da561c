// The media library's screens: the grid of pictures with search and usage, a picture's own page (its text,
// history, focal point and the stories using it) and the upload form with its outcomes. Plain forms that
// work without JavaScript; the upload and focal point scripts only add to them.
import type { LibraryPage, PictureDetails, UploadOutcome } from '../../media/library.ts';
import { TEXT_LIMITS } from '../../media/library.ts';
import { ResponsivePicture } from '../../media/picture.tsx';
import { type CropAspect, mediaUrl } from '../../media/urls.ts';

/** Where the stories screen opens a story (the editor). */
export const storyEditorPath = (articleId: number) => `/stories/${articleId}`;
export const picturePath = (id: number) => `/media/${id}`;

export interface FormProblem {
  field: string;
  message: string;
}

function when(d: Date): string {
  // One unambiguous form for a network spread over time zones.
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function stories(n: number): string {
  return n === 0 ? 'Not used' : n === 1 ? 'Used in 1 story' : `Used in ${n} stories`;
}

export function LibraryView(p: { page: LibraryPage; canUpload: boolean }) {
  const { page } = p;
  const link = (n: number) => {
    const q = new URLSearchParams();
    if (page.query) q.set('q', page.query);
    if (n > 1) q.set('page', String(n));
    const s = q.toString();
    return s ? `/media?${s}` : '/media';
  };
  return (
    <>
      <div class="adm-toolbar media-toolbar">
        <form method="get" action="/media" class="adm-toolbar" role="search">
          <div class="adm-field">
            <label for="media-q">Search pictures</label>
            <input id="media-q" type="search" name="q" value={page.query} aria-describedby="media-q-hint" />
            <p id="media-q-hint" class="adm-hint">
              Caption, credit, alt text or file name; every word must match.
            </p>
          </div>
          <button type="submit" class="adm-button">
            Search
          </button>
        </form>
        {p.canUpload && (
          <a class="adm-button adm-button-quiet" href="/media/upload">
            Upload pictures
          </a>
        )}
      </div>
      <p class="adm-muted" aria-live="polite">
        {page.total === 0
          ? page.query
            ? `No picture matches “${page.query}”.`
            : 'The library is empty.'
          : `${page.total} ${page.total === 1 ? 'picture' : 'pictures'}${page.query ? ` matching “${page.query}”` : ''}, newest first.`}
      </p>
      <ul class="adm-grid media-grid">
        {page.items.map(({ media, stories: n }) => (
          <li class="adm-panel media-card" key={media.id}>
            <a href={picturePath(media.id)} class="media-card-link">
              <ResponsivePicture media={media} crop="1x1" sizes="(min-width: 40rem) 14rem, 50vw" />
              <span class="media-card-caption">
                {media.caption || media.filename || `Picture ${media.id}`}
              </span>
            </a>
            {media.credit && <span class="media-card-credit">{media.credit}</span>}
            <span class={n > 0 ? 'adm-badge adm-badge-ok' : 'adm-badge'}>{stories(n)}</span>
            {!media.alt && <span class="adm-badge adm-badge-warn">No alt text</span>}
          </li>
        ))}
      </ul>
      {page.pageCount > 1 && (
        <nav class="adm-pager" aria-label="Pages of pictures">
          {page.page > 1 && (
            <a href={link(page.page - 1)} rel="prev">
              Newer
            </a>
          )}
          <span>
            Page {page.page} of {page.pageCount}
          </span>
          {page.page < page.pageCount && (
            <a href={link(page.page + 1)} rel="next">
              Older
            </a>
          )}
        </nav>
      )}
    </>
  );
}

const PREVIEW_CROPS: { aspect: CropAspect; label: string }[] = [
  { aspect: '16x9', label: 'Wide (16:9)' },
  { aspect: '3x2', label: 'Teaser (3:2)' },
  { aspect: '1x1', label: 'Square (1:1)' },
  { aspect: '4x5', label: 'Portrait (4:5)' },
];

export interface PictureViewProps {
  details: PictureDetails;
  csrf: string;
  /** May change this picture's text and focal point (their own upload, or editor and up). */
  mayEdit: boolean;
  /** Typed values to show again after a refused save. */
  values?: { caption?: string; credit?: string; alt?: string; x?: string; y?: string };
  problem?: FormProblem | null;
}

export function PictureView(p: PictureViewProps) {
  const { media, uses } = p.details;
  const v = p.values ?? {};
  const problemFor = (field: string) => (p.problem?.field === field ? p.problem.message : null);
  const textField = (
    field: 'caption' | 'credit' | 'alt',
    label: string,
    hint: string,
    multiline: boolean,
  ) => {
    const problem = problemFor(field);
    const id = `media-${field}`;
    const described = [`${id}-hint`, problem ? `${id}-problem` : ''].filter(Boolean).join(' ');
    const value = v[field] ?? media[field];
    return (
      <div class={problem ? 'adm-field adm-field-problem' : 'adm-field'}>
        <label for={id}>{label}</label>
        {multiline ? (
          <textarea
            id={id}
            name={field}
            maxLength={TEXT_LIMITS[field]}
            aria-describedby={described}
            aria-invalid={problem ? 'true' : undefined}
            readOnly={!p.mayEdit}
          >
            {value}
          </textarea>
        ) : (
          <input
            id={id}
            name={field}
            value={value}
            maxLength={TEXT_LIMITS[field]}
            aria-describedby={described}
            aria-invalid={problem ? 'true' : undefined}
            readOnly={!p.mayEdit}
          />
        )}
        <p id={`${id}-hint`} class="adm-hint">
          {hint}
        </p>
        {problem && (
          <p id={`${id}-problem`} class="adm-problem">
            {problem}
          </p>
        )}
      </div>
    );
  };
  const sentDiffers =
    media.sentCaption !== media.caption || media.sentCredit !== media.credit || media.sentAlt !== media.alt;
  const focalProblem = problemFor('focal');
  return (
    <div class="media-page">
      <section class="adm-panel media-preview" aria-labelledby="media-focal-heading">
        <h2 id="media-focal-heading">Focal point</h2>
        <p class="adm-hint" id="media-focal-hint">
          Crops of the picture centre on this point.
          {p.mayEdit ? ' Click the picture where the subject is, or enter the point below, then save.' : ''}
        </p>
        <div
          class="media-focal"
          data-focal-picker={p.mayEdit ? '' : undefined}
          data-focal-form="media-focal-form"
          data-focal-status="media-focal-status"
          role="group"
          aria-label={
            p.mayEdit ? 'Focal point picker: click the subject, or use the arrow keys' : 'The picture'
          }
        >
          <img
            src={mediaUrl(media.id, 1200, 'jpeg')}
            width={media.width}
            height={media.height}
            alt={media.alt}
          />
          <span class="media-focal-marker" data-focal-marker hidden />
        </div>
        <p id="media-focal-status" class="adm-muted" aria-live="polite" />
        {p.mayEdit ? (
          <form
            id="media-focal-form"
            method="post"
            action={`${picturePath(media.id)}/focal`}
            class="adm-toolbar"
            aria-describedby="media-focal-hint"
          >
            <input type="hidden" name="csrf" value={p.csrf} />
            <div class={focalProblem ? 'adm-field adm-field-problem' : 'adm-field'}>
              <label for="media-x">Across (0 left, 1 right)</label>
              <input
                id="media-x"
                name="x"
                type="number"
                min="0"
                max="1"
                step="0.0001"
                value={v.x ?? String(media.focalX)}
                required
              />
            </div>
            <div class={focalProblem ? 'adm-field adm-field-problem' : 'adm-field'}>
              <label for="media-y">Down (0 top, 1 bottom)</label>
              <input
                id="media-y"
                name="y"
                type="number"
                min="0"
                max="1"
                step="0.0001"
                value={v.y ?? String(media.focalY)}
                required
              />
            </div>
            <button type="submit" class="adm-button">
              Save focal point
            </button>
            {focalProblem && <p class="adm-problem">{focalProblem}</p>}
          </form>
        ) : (
          <p>
            Across {media.focalX}, down {media.focalY}.
          </p>
        )}
        <h3>How the crops look</h3>
        <ul class="media-crops">
          {PREVIEW_CROPS.map((c) => (
            <li key={c.aspect}>
              <ResponsivePicture media={media} crop={c.aspect} sizes="10rem" />
              <span class="adm-muted">{c.label}</span>
            </li>
          ))}
        </ul>
      </section>

      <section class="adm-panel" aria-labelledby="media-text-heading">
        <h2 id="media-text-heading">Caption, credit and alt text</h2>
        {!p.mayEdit && (
          <p class="adm-hint">Only whoever uploaded this picture, or an editor, can change it.</p>
        )}
        <form method="post" action={`${picturePath(media.id)}/text`}>
          <input type="hidden" name="csrf" value={p.csrf} />
          {textField('caption', 'Caption', 'Printed under the picture exactly as written.', true)}
          {textField(
            'credit',
            'Credit',
            'Who took or owns the picture, as the agency or photographer wants it.',
            false,
          )}
          {textField(
            'alt',
            'Alt text',
            'What the picture shows, for readers who cannot see it. Leave out what the caption already says.',
            true,
          )}
          {p.mayEdit && (
            <button type="submit" class="adm-button">
              Save text
            </button>
          )}
        </form>
        {sentDiffers && (
          <div class="media-sent">
            <h3>As first sent</h3>
            <dl>
              <dt>Caption</dt>
              <dd>{media.sentCaption || '(none)'}</dd>
              <dt>Credit</dt>
              <dd>{media.sentCredit || '(none)'}</dd>
              <dt>Alt text</dt>
              <dd>{media.sentAlt || '(none)'}</dd>
            </dl>
          </div>
        )}
        {media.textEditedAt && (
          <p class="adm-muted">
            Changed by {p.details.textEditedByName ?? 'a former staff member'} on {when(media.textEditedAt)}.
          </p>
        )}
      </section>

      <section class="adm-panel" aria-labelledby="media-uses-heading">
        <h2 id="media-uses-heading">Stories using it</h2>
        {uses.length === 0 ? (
          <p>No story uses this picture yet.</p>
        ) : (
          <ul class="media-uses">
            {uses.map((u) => (
              <li key={u.articleId}>
                <a href={storyEditorPath(u.articleId)}>{u.headline}</a>{' '}
                <span class="adm-badge">{u.status}</span>{' '}
                <span class="adm-muted">
                  {u.kinds.includes('lead') && u.kinds.includes('body')
                    ? 'lead picture and in the text'
                    : u.kinds.includes('lead')
                      ? 'lead picture'
                      : 'in the text'}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="adm-panel" aria-labelledby="media-file-heading">
        <h2 id="media-file-heading">File</h2>
        <dl class="media-facts">
          <dt>Id</dt>
          <dd>
            {media.id} <span class="adm-muted">(the number a story’s lead picture field takes)</span>
          </dd>
          <dt>Address</dt>
          <dd>
            <code>{mediaUrl(media.id, 1200, 'webp')}</code>{' '}
            <span class="adm-muted">(for a picture in a story’s text)</span>
          </dd>
          <dt>Name</dt>
          <dd>{media.filename || '(not known)'}</dd>
          <dt>Type and size</dt>
          <dd>
            {media.mime}, {media.width} × {media.height} pixels, {size(media.bytes)}
          </dd>
          <dt>Added</dt>
          <dd>
            {when(media.createdAt)}
            {p.details.uploadedByName ? ` by ${p.details.uploadedByName}` : ''}
          </dd>
        </dl>
      </section>
    </div>
  );
}

export interface UploadViewProps {
  csrf: string;
  maxBytes: number;
  maxFiles: number;
  /** The outcomes of a form sent without the script. */
  outcomes?: UploadOutcome[];
  /** Files beyond the per-upload limit were not read. */
  tooMany?: boolean;
}

export function UploadView(p: UploadViewProps) {
  return (
    <>
      <form
        method="post"
        action="/media/upload"
        enctype="multipart/form-data"
        class="adm-panel"
        data-media-upload
        data-upload-url="/media/uploads"
        data-csrf={p.csrf}
        data-max-bytes={String(p.maxBytes)}
        data-results="media-upload-results"
      >
        {/* First, so the token is read before any file. */}
        <input type="hidden" name="csrf" value={p.csrf} />
        <div class="media-drop" data-drop-zone>
          <div class="adm-field">
            <label for="media-files">Pictures to upload</label>
            <input
              id="media-files"
              type="file"
              name="files"
              multiple
              accept="image/jpeg,image/png,image/webp,image/gif,image/avif"
              aria-describedby="media-files-hint"
            />
            <p id="media-files-hint" class="adm-hint">
              JPEG, PNG, WebP, GIF or AVIF, up to {size(p.maxBytes)} each and {p.maxFiles} at a time. You can
              also drop files here.
            </p>
          </div>
        </div>
        <button type="submit" class="adm-button">
          Upload
        </button>
      </form>
      <ol id="media-upload-results" class="media-upload-results" aria-live="polite">
        {(p.outcomes ?? []).map((o, i) => (
          <li
            key={`${i}-${o.filename}`}
            class={o.ok ? 'media-upload-item is-ok' : 'media-upload-item is-problem'}
          >
            <span class="media-upload-name">{o.filename || '(no name)'}</span>{' '}
            <span class="media-upload-status">
              {o.ok ? (
                <a href={picturePath(o.media.id)}>
                  {o.existing ? 'Already in the library: open it' : 'Stored: open it'}
                </a>
              ) : (
                <>
                  {o.message} <span class="adm-muted">({o.code})</span>
                </>
              )}
            </span>
          </li>
        ))}
      </ol>
      {p.tooMany && (
        <p class="adm-notice adm-notice-problem">
          Only the first {p.maxFiles} files were taken; the rest were not read. Upload them in another go.
        </p>
      )}
      <p>
        <a href="/media">Back to the library</a>
      </p>
    </>
  );
}
