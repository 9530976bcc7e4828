import { MAJORS } from '@portal/contracts';

/** The workflow of order classes (its definition names the stages; the screens read it). */
export const ORDER_CLASS_WORKFLOW = 'order-class';
/** Stages in which the school edits the registration form. */
export const EDITABLE_STATES = ['draft', 'returned'];
/** Stages in which the school adds students directly (afterwards a join is a recorded change). */
export const ROSTER_OPEN_STATES = ['draft', 'returned', 'enterprise_confirm', 'county_filing'];
/** Stages in which roster changes and outcomes are recorded. */
export const RUNNING_STATES = ['active', 'reporting'];

/** 专业 choices (reference list): proper names, Chinese in every locale. */
export const majorChoices = MAJORS.map((m) => ({ id: m.code, name: `${m.name}（${m.code}）` }));

export const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
