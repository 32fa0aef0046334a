import { describe, expect, test } from 'vitest';
import {
  filterGroups,
  groupAnnotations,
  groupForExport,
  takeAnnotations,
  type CourseGroup,
} from '../../storage/grouping';
import { SAMPLE_ANNOTATIONS, SAMPLE_NOTES } from '../fixtures/export/sample-library';

/** Course → lesson → last digit of each id, to read a grouping at a glance. */
function outline(courses: CourseGroup[]): string[] {
  return courses.flatMap((course) => [
    `# ${course.courseTitle} (${course.count})`,
    ...course.lessons.map(
      (lesson) =>
        `${lesson.lesson.lessonId}: ${lesson.annotations.map((a) => a.id.slice(-1)).join(',')}${lesson.note ? ' +note' : ''}`,
    ),
  ]);
}

describe('grouping for review', () => {
  test('groups by course, then lesson, the most recently updated first', () => {
    expect(outline(groupAnnotations(SAMPLE_ANNOTATIONS, SAMPLE_NOTES, 'recent'))).toEqual([
      '# 分布式系统实战 45 讲 (4)',
      '100001: 1,3,5 +note',
      '100003: 4',
      '# MySQL 实战 45 讲 (1)',
      '62345: 2',
    ]);
  });

  test('can show a lesson in reading order instead', () => {
    const [course] = groupAnnotations(SAMPLE_ANNOTATIONS, [], 'reading');
    expect(course!.lessons[0]!.annotations.map((a) => a.target.position.start)).toEqual([120, 420, 900]);
  });

  test('a lesson note counts as activity, and a lesson with only a note is listed', () => {
    const note = { ...SAMPLE_NOTES[0]!, updatedAt: SAMPLE_ANNOTATIONS[0]!.updatedAt + 1 };
    const onlyNote = {
      ...note,
      lessonId: '100009',
      lesson: { ...note.lesson, lessonId: '100009', courseTitle: '新课程' },
    };
    const groups = groupAnnotations(SAMPLE_ANNOTATIONS.slice(1), [note, onlyNote], 'recent');
    expect(outline(groups).slice(0, 2)).toEqual(['# 分布式系统实战 45 讲 (3)', '100001: 3,5 +note']);
    expect(outline(groups)).toContain('100009:  +note');
    expect(groupAnnotations([], [onlyNote], 'recent', false)).toEqual([]);
  });

  test('the most recent record names the lesson when its title changed', () => {
    const renamed = {
      ...SAMPLE_ANNOTATIONS[0]!,
      lesson: { ...SAMPLE_ANNOTATIONS[0]!.lesson, lessonTitle: '01 | 新标题' },
    };
    const [course] = groupAnnotations([renamed, ...SAMPLE_ANNOTATIONS.slice(1)], [], 'recent');
    expect(course!.lessons[0]!.lesson.lessonTitle).toBe('01 | 新标题');
  });

  test('exports read like the course: courses by title, lessons by id, reading order', () => {
    expect(outline(groupForExport(SAMPLE_ANNOTATIONS, SAMPLE_NOTES))).toEqual([
      '# MySQL 实战 45 讲 (1)',
      '62345: 2',
      '# 分布式系统实战 45 讲 (4)',
      '100001: 3,1,5 +note',
      '100003: 4',
    ]);
  });

  test('filtering keeps the order and drops emptied lessons and courses', () => {
    const groups = groupAnnotations(SAMPLE_ANNOTATIONS, SAMPLE_NOTES, 'recent');
    const keep = new Set(['00000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000002']);
    expect(outline(filterGroups(groups, (a) => keep.has(a.id), false))).toEqual([
      '# 分布式系统实战 45 讲 (1)',
      '100001: 5 +note',
      '# MySQL 实战 45 讲 (1)',
      '62345: 2',
    ]);
  });

  test('paging takes the first annotations across lessons, keeping their groups', () => {
    const groups = groupAnnotations(SAMPLE_ANNOTATIONS, [], 'recent');
    expect(outline(takeAnnotations(groups, 4))).toEqual(['# 分布式系统实战 45 讲 (4)', '100001: 1,3,5', '100003: 4']);
    expect(outline(takeAnnotations(groups, 2))).toEqual(['# 分布式系统实战 45 讲 (4)', '100001: 1,3']);
  });
});
