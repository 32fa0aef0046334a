import { describe, expect, test } from 'vitest';
import { buildExport } from '../../storage/export-files';
import { ANNOTATION_CONTEXT, toAnnotationCollection, type AnnotationJson } from '../../storage/export-jsonld';
import { groupForExport } from '../../storage/grouping';
import { NOW, SAMPLE_ANNOTATIONS, SAMPLE_NOTES, TIMEOUTS } from '../fixtures/export/sample-library';

const info = { id: 'urn:uuid:11111111-2222-4333-8444-555555555555', label: 'All notes', generatedAt: NOW };
const collection = toAnnotationCollection(groupForExport(SAMPLE_ANNOTATIONS, SAMPLE_NOTES), info);
const items = collection.first.items;

const IRI = /^(https?:\/\/|urn:)[^\s]+$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * The Web Annotation Data Model's MUSTs for one annotation (sections 3.1–4.2):
 * an IRI id, type Annotation, a target that is an IRI or a specific resource
 * with a source IRI and selectors of known types with the right fields,
 * textual bodies with a value, and xsd:dateTime stamps.
 */
function expectWebAnnotation(item: AnnotationJson): void {
  expect(item.id).toMatch(IRI);
  expect(item.type).toBe('Annotation');
  expect(['highlighting', 'commenting']).toContain(item.motivation);
  expect(item.created).toMatch(DATE_TIME);
  expect(item.modified).toMatch(DATE_TIME);
  for (const body of item.body ?? []) {
    expect(body).toMatchObject({ type: 'TextualBody', format: 'text/plain' });
    expect(typeof body.value).toBe('string');
  }
  if (typeof item.target === 'string') return void expect(item.target).toMatch(IRI);
  expect(item.target.source).toMatch(IRI);
  const [quote, position] = item.target.selector;
  expect(quote).toEqual({
    type: 'TextQuoteSelector',
    exact: expect.any(String),
    prefix: expect.any(String),
    suffix: expect.any(String),
  });
  expect(position).toEqual({ type: 'TextPositionSelector', start: expect.any(Number), end: expect.any(Number) });
  if (position?.type === 'TextPositionSelector') expect(position.end).toBeGreaterThan(position.start);
  expect(item.stylesheet?.type).toBe('CssStylesheet');
  expect(item.stylesheet?.value).toContain(`.${item.target.styleClass} `);
}

describe('the JSON-LD export', () => {
  test('is one AnnotationCollection in the Web Annotation context, its items embedded in the first page', () => {
    expect(collection['@context']).toBe(ANNOTATION_CONTEXT);
    expect(collection['@context']).toBe('http://www.w3.org/ns/anno.jsonld');
    expect(collection).toMatchObject({ id: info.id, type: 'AnnotationCollection', label: 'All notes', total: 6 });
    expect(collection.first).toMatchObject({ type: 'AnnotationPage', startIndex: 0 });
    expect(items).toHaveLength(6);
    // Embedded annotations share the collection's context instead of repeating it.
    for (const item of items) expect(item).not.toHaveProperty('@context');
  });

  test('every item has the shape the Web Annotation model requires', () => {
    for (const item of items) expectWebAnnotation(item);
  });

  test('a highlight targets its lesson through quote and position selectors; its note and tags are bodies', () => {
    const item = items.find((candidate) => candidate.id === 'urn:uuid:00000000-0000-4000-8000-000000000003')!;
    expect(item.motivation).toBe('commenting');
    expect(item.target).toMatchObject({ source: TIMEOUTS.url, styleClass: 'highlight-yellow' });
    expect(item.body).toEqual([
      { type: 'TextualBody', value: SAMPLE_ANNOTATIONS[2]!.note, format: 'text/plain', purpose: 'commenting' },
      { type: 'TextualBody', value: '幂等', format: 'text/plain', purpose: 'tagging' },
    ]);
    expect(item.created).toBe(new Date(SAMPLE_ANNOTATIONS[2]!.createdAt).toISOString());
  });

  test('a highlight without a note is "highlighting" and has no body', () => {
    const item = items.find((candidate) => candidate.id.endsWith('000000000002'))!;
    expect(item.motivation).toBe('highlighting');
    expect(item).not.toHaveProperty('body');
  });

  test("the lesson note is a comment whose target is just the lesson's URL", () => {
    const note = items.find((item) => typeof item.target === 'string')!;
    expect(note).toMatchObject({
      motivation: 'commenting',
      target: TIMEOUTS.url,
      body: [{ value: SAMPLE_NOTES[0]!.note, purpose: 'commenting' }],
    });
  });

  test('the file is JSON that parses back to the same collection', () => {
    const file = buildExport({ type: 'all' }, 'jsonld', SAMPLE_ANNOTATIONS, SAMPLE_NOTES, {
      labels: { lessonNote: 'Lesson note', untitledCourse: '', untitledLesson: '' },
      allLabel: 'All notes',
      now: NOW,
      collectionId: info.id,
    });
    expect(file.mimeType).toBe('application/ld+json');
    expect(file.name).toMatch(/\.jsonld$/);
    expect(JSON.parse(file.text)).toEqual(collection);
  });
});
