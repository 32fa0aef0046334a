import type { CourseGroup, LessonGroup } from '../storage/grouping';
import { AnnotationItem, Emphasised, ReviewNoteVersions, type ItemActions } from './AnnotationItem';
import { NoteMarkdown } from './NoteMarkdown';
import type { ReviewStrings } from './review-strings';

/** What every item of a list shares. */
export interface ItemView {
  terms: readonly string[];
  strings: ReviewStrings;
  now: number;
  /** The list's tab stop; null makes the first item it. */
  activeId: string | null;
  editingId: string | null;
  actions: ItemActions;
  copyLesson(lesson: LessonGroup): void;
  /** "Use this version" on a conflict version of a lesson's page-level note (issue #5). */
  restoreLessonNoteVersion(lessonId: string, stamp: string): void;
}

export interface CourseGroupsProps {
  courses: readonly CourseGroup[];
  view: ItemView;
  /** Show course headings (not in the popup's one-lesson section). */
  showCourses: boolean;
  /** The id of the item that carries `elementtiming` (the first one painted). */
  timedId?: string;
}

/** Courses, their lessons, and each lesson's highlights. */
export function CourseGroups({ courses, view, showCourses, timedId }: CourseGroupsProps) {
  return (
    <>
      {courses.map((course) => (
        <section class="course" key={course.courseTitle}>
          {showCourses && (
            <h3 class="course-title">
              <span>{course.courseTitle || view.strings.untitledCourse}</span>
            </h3>
          )}
          {course.lessons.map((lesson) => (
            <LessonBlock key={lesson.lesson.lessonId} lesson={lesson} view={view} timedId={timedId} />
          ))}
        </section>
      ))}
    </>
  );
}

export interface LessonBlockProps {
  lesson: LessonGroup;
  view: ItemView;
  timedId?: string;
  /** Hide the lesson's title (the popup's section already names it). */
  hideTitle?: boolean;
}

/** One lesson: title, its page-level note, and its highlights as list items. */
export function LessonBlock({ lesson, view, timedId, hideTitle }: LessonBlockProps) {
  const { strings } = view;
  const title = lesson.lesson.lessonTitle || strings.untitledLesson;
  const headingId = `lesson-${lesson.lesson.lessonId}`;
  return (
    <section class="lesson" aria-labelledby={headingId}>
      <header class={`lesson-head${hideTitle ? ' visually-hidden-title' : ''}`}>
        <h4 id={headingId} class="lesson-title">
          {title}
        </h4>
        <button
          type="button"
          class="icon-button"
          aria-label={`${strings.copyLessonMarkdown}: ${title}`}
          title={strings.copyLessonMarkdown}
          onClick={() => view.copyLesson(lesson)}
        >
          <CopyIcon />
        </button>
      </header>
      {lesson.note && (
        <div class="lesson-note">
          <span class="lesson-note-label">{strings.lessonNote}</span>
          {lesson.note.note.trim() !== '' && (
            <NoteMarkdown text={lesson.note.note} renderText={(text) => <Emphasised text={text} terms={view.terms} />} />
          )}
          <ReviewNoteVersions
            versions={lesson.note.sync?.notes}
            strings={strings}
            terms={view.terms}
            onRestore={(stamp) => view.restoreLessonNoteVersion(lesson.lesson.lessonId, stamp)}
          />
        </div>
      )}
      {lesson.annotations.length > 0 && (
        <ul class="items">
          {lesson.annotations.map((annotation) => (
            <AnnotationItem
              key={annotation.id}
              annotation={annotation}
              terms={view.terms}
              strings={strings}
              now={view.now}
              active={annotation.id === view.activeId}
              editing={annotation.id === view.editingId}
              actions={view.actions}
              timing={annotation.id === timedId ? 'review-first-item' : undefined}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

/** Two overlapping sheets. */
export function CopyIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path
        d="M5.5 1.75h6.75c.97 0 1.75.78 1.75 1.75v7.75M3.75 4.5h6c.69 0 1.25.56 1.25 1.25v7.5c0 .69-.56 1.25-1.25 1.25h-6c-.69 0-1.25-.56-1.25-1.25v-7.5c0-.69.56-1.25 1.25-1.25z"
        fill="none"
        stroke="currentColor"
        stroke-width="1.4"
        stroke-linecap="round"
      />
    </svg>
  );
}
