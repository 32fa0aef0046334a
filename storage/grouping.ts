/**
 * Arranging annotations for review (issue #4): by course, then lesson. The
 * popup and library show the most recently updated course and lesson first;
 * exports use a stable order (course title, lesson id) that reads like the
 * course. Within a lesson, items come most recent first or in reading order.
 */
import type { Annotation, LessonNote, LessonRef } from './model';

/** How items are ordered within a lesson. */
export type ItemOrder = 'recent' | 'reading';

/** One lesson's annotations and its page-level note. */
export interface LessonGroup {
  lesson: LessonRef;
  annotations: Annotation[];
  /** The lesson's page-level note, when it has some text. */
  note: LessonNote | null;
  /** Latest `updatedAt` of its annotations and note. */
  updatedAt: number;
}

/** One course's lessons. Courses are told apart by title (the lesson URL carries no course id). */
export interface CourseGroup {
  courseTitle: string;
  lessons: LessonGroup[];
  updatedAt: number;
  /** Number of annotations in all its lessons. */
  count: number;
}

/** Reading order: where the highlight starts in the lesson, then when it was made. */
export function compareReadingOrder(a: Annotation, b: Annotation): number {
  return a.target.position.start - b.target.position.start || a.createdAt - b.createdAt || compareText(a.id, b.id);
}

/** Most recently updated first. */
export function compareRecent(a: Annotation, b: Annotation): number {
  return b.updatedAt - a.updatedAt || compareText(a.id, b.id);
}

/**
 * Groups annotations by course and lesson, most recently updated course and
 * lesson first, items in `order`. A lesson with a note but no annotations is
 * included only when `includeNoteOnlyLessons` (not while searching).
 */
export function groupAnnotations(
  annotations: readonly Annotation[],
  notes: readonly LessonNote[],
  order: ItemOrder,
  includeNoteOnlyLessons = true,
): CourseGroup[] {
  const lessons = collectLessons(annotations, notes, includeNoteOnlyLessons);
  const compare = order === 'reading' ? compareReadingOrder : compareRecent;
  for (const lesson of lessons) lesson.annotations.sort(compare);
  lessons.sort((a, b) => b.updatedAt - a.updatedAt || compareText(a.lesson.lessonId, b.lesson.lessonId));
  const courses = collectCourses(lessons);
  return courses.sort((a, b) => b.updatedAt - a.updatedAt || compareText(a.courseTitle, b.courseTitle));
}

/**
 * Groups for export: courses by title, lessons by id (the site numbers them
 * in publication order), items in reading order, note-only lessons included.
 */
export function groupForExport(annotations: readonly Annotation[], notes: readonly LessonNote[]): CourseGroup[] {
  const courses = groupAnnotations(annotations, notes, 'reading');
  for (const course of courses) course.lessons.sort((a, b) => compareLessonIds(a.lesson.lessonId, b.lesson.lessonId));
  return courses.sort((a, b) => compareText(a.courseTitle, b.courseTitle));
}

/**
 * The groups with only the annotations `keep` accepts, in the same order; a
 * lesson left empty is dropped unless it has a note and `keepNotes`. Linear
 * and without sorting, so a search re-filters 10,000 grouped annotations
 * per keystroke instead of grouping them again.
 */
export function filterGroups(
  courses: readonly CourseGroup[],
  keep: (annotation: Annotation) => boolean,
  keepNotes: boolean,
): CourseGroup[] {
  const filtered: CourseGroup[] = [];
  for (const course of courses) {
    const lessons: LessonGroup[] = [];
    let count = 0;
    for (const lesson of course.lessons) {
      const annotations = lesson.annotations.filter(keep);
      if (annotations.length === 0 && !(keepNotes && lesson.note)) continue;
      lessons.push({ ...lesson, annotations });
      count += annotations.length;
    }
    if (lessons.length > 0) filtered.push({ ...course, lessons, count });
  }
  return filtered;
}

/** The first `limit` annotations of `courses`, keeping their grouping (for paging a long list). */
export function takeAnnotations(courses: readonly CourseGroup[], limit: number): CourseGroup[] {
  const taken: CourseGroup[] = [];
  let left = limit;
  for (const course of courses) {
    if (left <= 0) break;
    const lessons: LessonGroup[] = [];
    for (const lesson of course.lessons) {
      if (left <= 0) break;
      const annotations = lesson.annotations.slice(0, left);
      left -= Math.max(annotations.length, 1);
      lessons.push({ ...lesson, annotations });
    }
    taken.push({ ...course, lessons });
  }
  return taken;
}

/** Number of annotations in `courses`. */
export function countAnnotations(courses: readonly CourseGroup[]): number {
  return courses.reduce((sum, course) => sum + course.count, 0);
}

function collectLessons(
  annotations: readonly Annotation[],
  notes: readonly LessonNote[],
  noteOnly: boolean,
): LessonGroup[] {
  const byLesson = new Map<string, LessonGroup>();
  for (const annotation of annotations) {
    const id = annotation.lesson.lessonId;
    const group = byLesson.get(id);
    if (!group) {
      byLesson.set(id, {
        lesson: annotation.lesson,
        annotations: [annotation],
        note: null,
        updatedAt: annotation.updatedAt,
      });
      continue;
    }
    group.annotations.push(annotation);
    // Titles may have been corrected since: the most recent record names the lesson.
    if (annotation.updatedAt > group.updatedAt) {
      group.updatedAt = annotation.updatedAt;
      group.lesson = annotation.lesson;
    }
  }
  for (const note of notes) {
    if (note.note.trim() === '') continue;
    const group = byLesson.get(note.lessonId);
    if (group) {
      group.note = note;
      group.updatedAt = Math.max(group.updatedAt, note.updatedAt);
    } else if (noteOnly) {
      byLesson.set(note.lessonId, { lesson: note.lesson, annotations: [], note, updatedAt: note.updatedAt });
    }
  }
  return [...byLesson.values()];
}

/** Courses in the order their first (most recent) lesson appears. */
function collectCourses(lessons: readonly LessonGroup[]): CourseGroup[] {
  const byTitle = new Map<string, CourseGroup>();
  for (const lesson of lessons) {
    const title = lesson.lesson.courseTitle;
    const course = byTitle.get(title) ?? { courseTitle: title, lessons: [], updatedAt: lesson.updatedAt, count: 0 };
    course.lessons.push(lesson);
    course.count += lesson.annotations.length;
    course.updatedAt = Math.max(course.updatedAt, lesson.updatedAt);
    byTitle.set(title, course);
  }
  return [...byTitle.values()];
}

/** Numeric lesson ids compared as numbers (they may exceed 2^53, so by length first). */
function compareLessonIds(a: string, b: string): number {
  return a.length - b.length || compareText(a, b);
}

/** A total order on strings that does not depend on the runtime's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
