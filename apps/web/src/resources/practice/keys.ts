/** The practice workflow's key: the web app reads its stages and actions from the server's definition. */
export const PRACTICE_WORKFLOW_KEY = 'practice-record';

/** The stage at which a record awaits the teacher's school (学校审核): the school's worklist and its home page. */
export const SCHOOL_APPROVAL_STAGE = 'school_approval';
