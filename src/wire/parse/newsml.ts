// Reader for IPTC NewsML-G2: a newsMessage carrying newsItems and packageItems, or a bare newsItem /
// packageItem. Pictures travel as separate picture newsItems; they are attached to the text item that
// references them (itemMeta/link, or a packageItem grouping both) when the target is in the same message.

import {
  bodySeverity,
  codeName,
  type DocumentContext,
  finishItem,
  finishPicture,
  guarded,
  type ItemContext,
  itemContext,
  makeAltId,
  makeSubject,
  newDraft,
  type PictureDraft,
  readBody,
  readDate,
  readEmbargo,
  readLink,
  readPubStatus,
  readText,
  readUrgency,
  readUri,
  readVersion,
} from './item.ts';
import type { ItemProblems } from './problems.ts';
import { WIRE_PROBLEM, type WireItem, type WirePicture } from './types.ts';
import {
  attr,
  child,
  children,
  descendants,
  innerMarkup,
  isElement,
  NS,
  type NsMatch,
  textOf,
  type XmlElement,
} from './xml.ts';

// Producers that forget the namespace declaration still send recognisable NewsML-G2.
const G2: NsMatch = [NS.nar, null];

export const NEWSML_ROOTS = ['newsMessage', 'newsItem', 'packageItem'];

type ItemKind = 'text' | 'picture' | 'package' | 'other';

function kindOf(element: XmlElement): ItemKind {
  if (element.local === 'packageItem') return 'package';
  const itemClass = attr(child(child(element, 'itemMeta', G2), 'itemClass', G2), 'qcode');
  const name = itemClass === undefined ? null : codeName(itemClass);
  if (name === 'picture' || name === 'graphic') return 'picture';
  if (name === 'text' || name === null) return 'text';
  return 'other';
}

function meta(item: XmlElement, section: string, name: string): XmlElement | undefined {
  return child(child(item, section, G2), name, G2);
}

function metaText(item: XmlElement, section: string, name: string): string | undefined {
  return textOf(meta(item, section, name));
}

/** The qcode (or uri/literal) of a coded element like <pubStatus qcode="stat:usable"/>. */
function coded(element: XmlElement | undefined): string | undefined {
  return attr(element, 'qcode') ?? attr(element, 'uri') ?? attr(element, 'literal');
}

/** Element text, or its `literal` attribute (G2 allows <creator literal="..."/>), else its <name>. */
function nameOf(element: XmlElement | undefined): string | undefined {
  if (element === undefined) return undefined;
  const name = textOf(child(element, 'name', G2));
  if (name !== undefined && name.trim() !== '') return name;
  const literal = attr(element, 'literal');
  if (literal !== undefined) return literal;
  const text = textOf(element);
  return text?.trim() === '' ? undefined : text;
}

function descriptionByRole(item: XmlElement, roles: readonly string[]): XmlElement | undefined {
  const descriptions = children(child(item, 'contentMeta', G2), 'description', G2);
  for (const role of roles) {
    const found = descriptions.find((description) => {
      const value = attr(description, 'role');
      return value !== undefined && codeName(value) === role;
    });
    if (found) return found;
  }
  return undefined;
}

function mainHeadline(item: XmlElement): XmlElement | undefined {
  const headlines = children(child(item, 'contentMeta', G2), 'headline', G2);
  return (
    headlines.find((headline) => {
      const role = attr(headline, 'role');
      return role === undefined || codeName(role) === 'main';
    }) ?? headlines[0]
  );
}

function firstRightsInfo(item: XmlElement, name: string): string | undefined {
  for (const rights of children(item, 'rightsInfo', G2)) {
    const text = textOf(child(rights, name, G2));
    if (text !== undefined) return text;
  }
  return undefined;
}

function isInlineContent(element: XmlElement): boolean {
  return element.local === 'contentSet';
}

interface Reference {
  guid: string;
  /**
   * Package itemRefs and links typed as images are expected to be in the message. Other links (previous
   * version, see-also) routinely point outside it and are not worth a report.
   */
  expected: boolean;
}

/** Items this item points at through itemRef or link residrefs (never looking inside the body). */
function references(item: XmlElement): Reference[] {
  const refs: Reference[] = [];
  for (const name of ['itemRef', 'link']) {
    for (const element of descendants(item, name, G2, isInlineContent)) {
      const guid = attr(element, 'residref')?.trim();
      if (guid === undefined || guid === '') continue;
      const imageLink = /^image\//i.test(attr(element, 'contenttype') ?? '');
      refs.push({ guid, expected: name === 'itemRef' || imageLink });
    }
  }
  return refs;
}

function referencedGuids(item: XmlElement): string[] {
  return references(item).map((ref) => ref.guid);
}

function readNewsmlBody(ctx: ItemContext, item: XmlElement, severity: 'error' | 'warning'): string {
  const contentSet = child(item, 'contentSet', G2);
  const inline = child(contentSet, 'inlineXML', G2);
  if (inline !== undefined) {
    // NITF bodies keep their text in body.content; XHTML in body; otherwise take everything inline.
    const content = descendants(inline, 'body.content')[0] ?? descendants(inline, 'body')[0] ?? inline;
    return readBody(ctx, innerMarkup(content), 'contentSet.inlineXML', 'html', content.base, severity);
  }
  const data = child(contentSet, 'inlineData', G2);
  if (data !== undefined) {
    const type = attr(data, 'contenttype') ?? '';
    const kind = /html|xml/i.test(type) ? 'html' : 'text';
    return readBody(ctx, textOf(data), 'contentSet.inlineData', kind, data.base, severity);
  }
  return '';
}

function pictureDraft(picture: XmlElement, field: string): PictureDraft {
  const contentMeta = child(picture, 'contentMeta', G2);
  const caption =
    descriptionByRole(picture, ['caption']) ??
    children(contentMeta, 'description', G2).find((d) => attr(d, 'role') === undefined);
  const creditline =
    textOf(child(contentMeta, 'creditline', G2)) ??
    textOf(child(contentMeta, 'by', G2)) ??
    nameOf(child(contentMeta, 'creator', G2));
  const alt =
    textOf(descriptionByRole(picture, ['alt', 'alttext', 'alternativetext', 'alternative'])) ??
    textOf(mainHeadline(picture));
  const remote = children(child(picture, 'contentSet', G2), 'remoteContent', G2);
  return {
    field,
    uri: attr(picture, 'guid'),
    version: attr(picture, 'version'),
    pubstatus: coded(meta(picture, 'itemMeta', 'pubStatus')),
    caption: textOf(caption),
    creditline,
    copyrightnotice: firstRightsInfo(picture, 'copyrightNotice'),
    alt,
    renditions: remote.map((element, index) => ({
      field: `${field}.contentSet.remoteContent[${index}]`,
      href: attr(element, 'href'),
      base: element.base,
      width: attr(element, 'width'),
      height: attr(element, 'height'),
      contentType: attr(element, 'contenttype'),
      name: attr(element, 'rendition'),
    })),
  };
}

interface Message {
  byGuid: Map<string, XmlElement>;
  /** Picture guids grouped with a text item by a packageItem, keyed by the text item's guid. */
  packaged: Map<string, string[]>;
  /** Every picture guid something in the message points at. */
  referenced: Set<string>;
}

function describeMessage(items: XmlElement[]): Message {
  const byGuid = new Map<string, XmlElement>();
  for (const item of items) {
    const guid = attr(item, 'guid')?.trim();
    if (guid && !byGuid.has(guid)) byGuid.set(guid, item);
  }
  const packaged = new Map<string, string[]>();
  const referenced = new Set<string>();
  for (const item of items) {
    const refs = referencedGuids(item);
    for (const ref of refs) referenced.add(ref);
    if (kindOf(item) !== 'package') continue;
    // Missing targets stay in the list so the text item reports them as unresolved.
    const pictures = refs.filter((ref) => {
      const target = byGuid.get(ref);
      return target === undefined || kindOf(target) === 'picture';
    });
    for (const ref of refs) {
      const target = byGuid.get(ref);
      if (target !== undefined && kindOf(target) === 'text') {
        packaged.set(ref, [...(packaged.get(ref) ?? []), ...pictures]);
      }
    }
  }
  return { byGuid, packaged, referenced };
}

function readPictures(ctx: ItemContext, item: XmlElement, message: Message): WirePicture[] {
  const own = references(item);
  const fromPackages = (message.packaged.get(attr(item, 'guid')?.trim() ?? '') ?? []).map((guid) => ({
    guid,
    expected: true,
  }));
  const pictures: WirePicture[] = [];
  const seen = new Set<string>();
  if (kindOf(item) === 'picture') {
    const self = finishPicture(ctx, pictureDraft(item, ''));
    if (self !== null) pictures.push(self);
  }
  // Package order first: it is the editor's order, and the package's first picture is the lead.
  for (const { guid, expected } of [...fromPackages, ...own]) {
    if (seen.has(guid)) continue;
    seen.add(guid);
    const target = message.byGuid.get(guid);
    if (target === undefined) {
      if (!expected) continue;
      ctx.problems.note(
        WIRE_PROBLEM.unresolvedRef,
        'residref',
        `The item refers to "${guid}", which is not in this message, so it could not be attached. If it is a picture, the agency must send it in the same message.`,
      );
      continue;
    }
    if (kindOf(target) !== 'picture') continue;
    const picture = finishPicture(ctx, pictureDraft(target, guid));
    if (picture !== null) pictures.push(picture);
  }
  return pictures;
}

function parseItem(ctx: ItemContext, item: XmlElement, message: Message): WireItem | null {
  const draft = newDraft('newsml-g2');
  const text = (value: string | undefined, field: string) => readText(ctx, value, field);
  const contentMeta = child(item, 'contentMeta', G2);
  const itemMeta = child(item, 'itemMeta', G2);

  draft.uri = readUri(ctx, attr(item, 'guid'), 'guid');
  draft.pubstatus =
    readPubStatus(ctx, coded(meta(item, 'itemMeta', 'pubStatus')), 'itemMeta.pubStatus') ?? 'usable';
  const headline = mainHeadline(item);
  draft.headline = text(textOf(headline), 'contentMeta.headline');
  draft.bodyHtml = readNewsmlBody(ctx, item, bodySeverity(draft.pubstatus));
  draft.version = readVersion(ctx, attr(item, 'version'), 'version');
  draft.versionCreated = readDate(
    ctx,
    metaText(item, 'itemMeta', 'versionCreated'),
    'itemMeta.versionCreated',
  );
  draft.firstCreated = readDate(
    ctx,
    metaText(item, 'itemMeta', 'firstCreated') ?? metaText(item, 'contentMeta', 'contentCreated'),
    'itemMeta.firstCreated',
  );
  const embargo = meta(item, 'itemMeta', 'embargoed');
  // An empty <embargoed/> means "until further notice" in G2: it must hold the story, not free it.
  draft.embargoed =
    embargo === undefined ? null : readEmbargo(ctx, textOf(embargo) ?? '', 'itemMeta.embargoed');
  draft.expires = readDate(
    ctx,
    metaText(item, 'itemMeta', 'expires') ?? metaText(item, 'contentMeta', 'expires'),
    'expires',
  );
  draft.slugline = text(metaText(item, 'contentMeta', 'slugline'), 'contentMeta.slugline');
  draft.dek = text(
    textOf(descriptionByRole(item, ['summary', 'abstract', 'teaser'])),
    'contentMeta.description',
  );
  const creators = children(contentMeta, 'creator', G2)
    .map(nameOf)
    .filter((name): name is string => name !== undefined);
  draft.byline = text(
    metaText(item, 'contentMeta', 'by') ?? (creators.length > 0 ? creators.join(', ') : undefined),
    'contentMeta.creator',
  );
  draft.located = text(nameOf(child(contentMeta, 'located', G2)), 'contentMeta.located');
  draft.copyrightnotice = text(firstRightsInfo(item, 'copyrightNotice'), 'rightsInfo.copyrightNotice');
  draft.usageterms = text(firstRightsInfo(item, 'usageTerms'), 'rightsInfo.usageTerms');
  const notes = children(itemMeta, 'edNote', G2).map(textOf);
  draft.ednote = text(notes.length > 0 ? notes.join('\n') : undefined, 'itemMeta.edNote');
  draft.urgency = readUrgency(ctx, metaText(item, 'contentMeta', 'urgency'), 'contentMeta.urgency');
  draft.subjects = children(contentMeta, 'subject', G2).flatMap((subject, index) => {
    const field = `contentMeta.subject[${index}]`;
    const made = makeSubject(
      text(coded(subject), field),
      text(textOf(child(subject, 'name', G2)), `${field}.name`),
    );
    return made === null ? [] : [made];
  });
  draft.keywords = children(contentMeta, 'keyword', G2).flatMap((keyword, index) => {
    const value = text(textOf(keyword), `contentMeta.keyword[${index}]`);
    return value === null ? [] : [value];
  });
  draft.altids = children(contentMeta, 'altId', G2).flatMap((altId, index) => {
    const role = attr(altId, 'type') ?? attr(altId, 'role');
    const made = makeAltId(
      role === undefined ? null : text(role, `contentMeta.altId[${index}].type`),
      text(textOf(altId), `contentMeta.altId[${index}]`),
    );
    return made === null ? [] : [made];
  });
  // Through readText like every other field (and like ninjs signals): a code is text from the agency.
  draft.signals = children(itemMeta, 'signal', G2).flatMap((signal, index) => {
    const code = text(coded(signal), `itemMeta.signal[${index}]`);
    return code === null || code.trim() === '' ? [] : [codeName(code)];
  });
  draft.pictures = readPictures(ctx, item, message);
  const canonical = children(itemMeta, 'link', G2).find((link) => /canonical/i.test(attr(link, 'rel') ?? ''));
  draft.link =
    canonical === undefined ? null : readLink(ctx, attr(canonical, 'href'), 'itemMeta.link', canonical.base);
  return finishItem(ctx, draft, { uri: ['guid'], headline: 'contentMeta.headline' });
}

function itemsOf(root: XmlElement): XmlElement[] {
  if (root.local !== 'newsMessage') return [root];
  const found: XmlElement[] = [];
  for (const set of children(root, 'itemSet', G2)) {
    for (const element of set.children) {
      if (isElement(element) && ['newsItem', 'packageItem'].includes(element.local)) found.push(element);
    }
  }
  return found;
}

function skipUnsupported(problems: ItemProblems, item: XmlElement): void {
  const itemClass = coded(meta(item, 'itemMeta', 'itemClass')) ?? '?';
  problems.error(
    WIRE_PROBLEM.invalidValue,
    'itemMeta.itemClass',
    `Item class "${itemClass}" is not a text or picture item, which is all the wire ingester can publish.`,
  );
}

export function readNewsmlDocument(root: XmlElement, doc: DocumentContext): WireItem[] {
  const items = itemsOf(root);
  const message = describeMessage(items);
  const out: WireItem[] = [];
  items.forEach((item, index) => {
    const kind = kindOf(item);
    const guid = attr(item, 'guid')?.trim();
    // Pictures that a text item carries are not stories of their own.
    if (kind === 'picture' && guid !== undefined && message.referenced.has(guid)) return;
    const ctx = itemContext(doc, guid || `#${index}`);
    // A package that groups text items is just the grouping; one with no text item of its own here is
    // published as its own story (for example a bare packageItem root, or a photo gallery).
    if (kind === 'package') {
      const groupsText = referencedGuids(item).some((ref) => {
        const target = message.byGuid.get(ref);
        return target !== undefined && kindOf(target) === 'text';
      });
      if (groupsText) return;
    }
    if (kind === 'other') {
      skipUnsupported(ctx.problems, item);
      return;
    }
    const parsed = guarded(ctx, () => parseItem(ctx, item, message));
    if (parsed !== null) out.push(parsed);
  });
  if (items.length === 0) {
    doc.log.document(
      WIRE_PROBLEM.missingField,
      'The newsMessage has no itemSet with newsItem or packageItem elements, so there is nothing to ingest.',
      'itemSet',
    );
  }
  return out;
}
