import { MAJORS } from '@portal/contracts';

/** The workflow of order classes (its definition names the stages; the screens read it). */
export const ORDER_CLASS_WORKFLOW = 'order-class';
/** The stage at which a class awaits its partner enterprise's confirmation (会签): the enterprise's pending work. */
export const ENTERPRISE_CONFIRM_STAGE = 'enterprise_confirm';
/** Stages in which the school edits the registration form. */
export const EDITABLE_STATES = ['draft', 'returned'];
/** Stages in which the school adds students directly (afterwards a join is a recorded change). */
export const ROSTER_OPEN_STATES = ['draft', 'returned', 'enterprise_confirm', 'county_filing'];
/** Stages in which the roster has changes to show (recorded while active). */
export const RUNNING_STATES = ['active', 'reporting'];
/** The stage in which the school records each student's outcome (结业报告). */
export const REPORTING_STATES = ['reporting'];
/** Stages in which outcomes are shown. */
export const OUTCOME_STATES = ['reporting', 'closed'];
/** Roster changes: actions with a student, a date and a reason, taken from 名单变更 rather than the generic dialog. */
export const CHANGE_ACTIONS = ['record_leave', 'record_join'];

/** 专业 choices (reference list): proper names, Chinese in every locale. */
export const majorChoices = MAJORS.map((m) => ({ id: m.code, name: `${m.name}（${m.code}）` }));

export const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
