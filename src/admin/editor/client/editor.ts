// The editor screen's script (bundled by ../bundle.ts, loaded only on that screen). It turns the story
// form's body textarea into the rich-text editor: ProseMirror goes in a <div class="editor-body"> before
// the textarea, the textarea is hidden and always holds the body's HTML, so the form's own Save posts what
// the editor shows; and it starts autosave, the browser copy and the lock heartbeat (story-sync.ts).
// Without JavaScript none of this runs and the textarea itself is the editor: the form works either way.
//
// The page's contract: <form id="story-form" data-story-id data-base-revision data-autosave-url
// data-lock-url data-csrf> with the story's fields and <textarea name="body_html" id="body_html">.
import { Notices } from './notices.ts';
import { StoryEditor } from './story-editor.ts';
import { BrowserCopyStore } from './story-fields.ts';
import { StorySync } from './story-sync.ts';

function labelId(textarea: HTMLTextAreaElement): string | null {
  const label = textarea.labels?.[0];
  if (!label) return null;
  label.id ||= `${textarea.id}-label`;
  return label.id;
}

function mount(form: HTMLFormElement, textarea: HTMLTextAreaElement): void {
  const data = form.dataset;
  const storyId = data.storyId ?? '';
  const notices = new Notices();
  form.prepend(notices.region);

  const place = document.createElement('div');
  place.className = 'editor-body';
  textarea.before(place);

  const editor: StoryEditor = new StoryEditor({
    place,
    html: textarea.value,
    labelledBy: labelId(textarea),
    onChange: () => {
      textarea.value = editor.html();
      sync.changed();
    },
    onPasteCleaned: (removed) => {
      if (removed.length === 0) {
        notices.hide('paste');
        return;
      }
      notices.show('paste', {
        text: `The pasted text was cleaned up. Removed: ${removed.join(', ')}.`,
        urgent: false,
        dismissible: true,
      });
    },
  });
  place.append(notices.status);
  // The label names the editor now; clicking it goes to the text as it went to the textarea.
  textarea.labels?.[0]?.addEventListener('click', (event) => {
    event.preventDefault();
    editor.focus();
  });
  // From here on the textarea holds the body as the editor writes it (the same HTML, normalised).
  textarea.value = editor.html();
  textarea.hidden = true;

  const sync: StorySync = new StorySync({
    form,
    storyId,
    baseRevision: Number(data.baseRevision) || 0,
    autosaveUrl: data.autosaveUrl ?? '',
    lockUrl: data.lockUrl ?? '',
    csrf: data.csrf ?? '',
    editor,
    notices,
    copies: new BrowserCopyStore(storyId),
  });
  sync.start();
}

const form = document.getElementById('story-form');
const textarea = document.getElementById('body_html');
if (form instanceof HTMLFormElement && textarea instanceof HTMLTextAreaElement) mount(form, textarea);
