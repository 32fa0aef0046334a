import type { Annotation } from '../storage/model';
import type { ReviewStrings } from './review-strings';

/** What the library lists: everything, one course, or one lesson. */
export type LibraryScope =
  { type: 'all' } | { type: 'course'; courseTitle: string } | { type: 'lesson'; lessonId: string; courseTitle: string };

/** A course and its lessons with their highlight counts, for the side navigation. */
export interface NavCourse {
  courseTitle: string;
  count: number;
  lessons: Array<{ lessonId: string; title: string; count: number }>;
}

/** Courses by title, lessons by id (publication order), with counts. */
export function navCourses(annotations: readonly Annotation[]): NavCourse[] {
  const courses = new Map<string, Map<string, { lessonId: string; title: string; count: number }>>();
  for (const { lesson } of annotations) {
    const lessons = courses.get(lesson.courseTitle) ?? new Map();
    courses.set(lesson.courseTitle, lessons);
    const entry = lessons.get(lesson.lessonId) ?? { lessonId: lesson.lessonId, title: lesson.lessonTitle, count: 0 };
    entry.count += 1;
    lessons.set(lesson.lessonId, entry);
  }
  const byId = (a: { lessonId: string }, b: { lessonId: string }) =>
    a.lessonId.length - b.lessonId.length || (a.lessonId < b.lessonId ? -1 : 1);
  return [...courses]
    .map(([courseTitle, lessons]) => {
      const list = [...lessons.values()].sort(byId);
      return { courseTitle, lessons: list, count: list.reduce((sum, lesson) => sum + lesson.count, 0) };
    })
    .sort((a, b) => a.courseTitle.localeCompare(b.courseTitle, 'zh'));
}

export interface LibraryNavProps {
  courses: readonly NavCourse[];
  total: number;
  scope: LibraryScope;
  strings: ReviewStrings;
  onScope(scope: LibraryScope): void;
}

/** The side navigation: all courses, each course, each lesson of the selected course. */
export function LibraryNav({ courses, total, scope, strings, onScope }: LibraryNavProps) {
  const selectedCourse = scope.type === 'all' ? null : scope.courseTitle;
  return (
    <nav class="library-nav" aria-label={strings.courses}>
      <button
        type="button"
        class="nav-item nav-all"
        aria-current={scope.type === 'all' ? 'page' : undefined}
        onClick={() => onScope({ type: 'all' })}
      >
        <span class="nav-label">{strings.everything}</span>
        <span class="count">{total.toLocaleString(strings.locale)}</span>
      </button>
      <h2 class="nav-heading">{strings.courses}</h2>
      <ul class="nav-courses">
        {courses.map((course) => (
          <li key={course.courseTitle}>
            <button
              type="button"
              class="nav-item nav-course"
              aria-current={scope.type === 'course' && scope.courseTitle === course.courseTitle ? 'page' : undefined}
              aria-expanded={selectedCourse === course.courseTitle}
              onClick={() => onScope({ type: 'course', courseTitle: course.courseTitle })}
            >
              <span class="nav-label">{course.courseTitle || strings.untitledCourse}</span>
              <span class="count">{course.count.toLocaleString(strings.locale)}</span>
            </button>
            {selectedCourse === course.courseTitle && (
              <ul class="nav-lessons">
                {course.lessons.map((lesson) => (
                  <li key={lesson.lessonId}>
                    <button
                      type="button"
                      class="nav-item nav-lesson"
                      aria-current={scope.type === 'lesson' && scope.lessonId === lesson.lessonId ? 'page' : undefined}
                      onClick={() =>
                        onScope({ type: 'lesson', lessonId: lesson.lessonId, courseTitle: course.courseTitle })
                      }
                    >
                      <span class="nav-label">{lesson.title || strings.untitledLesson}</span>
                      <span class="count">{lesson.count}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
