// An event's own questions on its registration form, and the answers to them. A question is free text, a
// choice of one among its options, or a checkbox (a yes the reader ticks, e.g. "I agree to be filmed"); each
// is required or optional. Definitions are checked when an event is set up (EVENT_INVALID naming the
// question); answers when someone registers (EVENT_REGISTRATION_INVALID naming the form field, q-<id>).
// Answers are kept as given text: a choice must be one of the options, so nothing else can be stored.
import { DatelineError } from '../../errors/catalogue.ts';

export type QuestionKind = 'text' | 'choice' | 'checkbox';

export interface RegistrationQuestion {
  /** Short and stable: the form field is q-<id>, and answers are kept under it. */
  id: string;
  kind: QuestionKind;
  label: string;
  required: boolean;
  /** The choices of a 'choice' question. */
  options?: string[];
}

/** Answers by question id: text or the chosen option, or true for a ticked checkbox. */
export type Answers = Record<string, string | boolean>;

const ID = /^[a-z0-9][a-z0-9-]{0,29}$/;
export const MAX_QUESTIONS = 10;
export const ANSWER_MAX = 1000;

function invalid(field: string, message: string): never {
  throw new DatelineError('EVENT_INVALID', `${message} Nothing was saved.`, { field });
}

/** Checks an event's questions, or throws EVENT_INVALID naming the first at fault. */
export function validateQuestions(input: unknown): RegistrationQuestion[] {
  if (!Array.isArray(input)) invalid('questions', 'The questions are a list.');
  if (input.length > MAX_QUESTIONS) invalid('questions', `An event asks at most ${MAX_QUESTIONS} questions.`);
  const seen = new Set<string>();
  return input.map((raw, i) => {
    const q = (raw ?? {}) as Partial<RegistrationQuestion>;
    const field = `questions.${i}`;
    if (typeof q.id !== 'string' || !ID.test(q.id))
      invalid(field, 'A question id is lower-case letters, digits and hyphens, at most 30.');
    if (seen.has(q.id)) invalid(field, `Two questions have the id "${q.id}".`);
    seen.add(q.id);
    if (q.kind !== 'text' && q.kind !== 'choice' && q.kind !== 'checkbox')
      invalid(field, 'A question is text, choice or checkbox.');
    const label = typeof q.label === 'string' ? q.label.trim() : '';
    if (label === '' || label.length > 300)
      invalid(field, 'A question needs its wording (at most 300 characters).');
    const out: RegistrationQuestion = { id: q.id, kind: q.kind, label, required: q.required === true };
    if (q.kind === 'choice') {
      const options = Array.isArray(q.options)
        ? q.options.map((o) => (typeof o === 'string' ? o.trim() : '')).filter((o) => o !== '')
        : [];
      if (options.length < 2 || options.length > 20 || new Set(options).size !== options.length)
        invalid(field, 'A choice has from 2 to 20 different options.');
      if (options.some((o) => o.length > 200)) invalid(field, 'An option is at most 200 characters.');
      out.options = options;
    }
    return out;
  });
}

/** Reads stored questions (written by validateQuestions); anything unreadable is no questions. */
export function parseQuestions(json: string): RegistrationQuestion[] {
  try {
    return validateQuestions(JSON.parse(json));
  } catch {
    return [];
  }
}

function problem(id: string, message: string): never {
  throw new DatelineError('EVENT_REGISTRATION_INVALID', message, { field: `q-${id}` });
}

/**
 * The answers a form gives (fields q-<id>), checked against the questions: required ones answered, choices
 * among the options, text within its length. Fields that are no question are ignored.
 */
export function readAnswers(questions: RegistrationQuestion[], form: Record<string, unknown>): Answers {
  const out: Answers = {};
  for (const q of questions) {
    const raw = form[`q-${q.id}`];
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (q.kind === 'checkbox') {
      const ticked = value !== '';
      if (q.required && !ticked) problem(q.id, `Tick “${q.label}” to register.`);
      out[q.id] = ticked;
      continue;
    }
    if (value === '') {
      if (q.required) problem(q.id, `Answer “${q.label}”.`);
      continue;
    }
    if (q.kind === 'choice' && !q.options?.includes(value))
      problem(q.id, `Choose one of the answers to “${q.label}”.`);
    if (value.length > ANSWER_MAX)
      problem(q.id, `The answer to “${q.label}” is at most ${ANSWER_MAX} characters.`);
    out[q.id] = value;
  }
  return out;
}

/** Stored answers, read back (an unreadable value is no answers). */
export function parseAnswers(json: string): Answers {
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Answers) : {};
  } catch {
    return {};
  }
}
