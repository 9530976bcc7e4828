/** The practice workflow's key: the web app reads its stages and actions from the server's definition. */
export const PRACTICE_WORKFLOW_KEY = 'practice-record';

/** The stage at which a record awaits the teacher's school (学校审核): the school's worklist and its home page. */
export const SCHOOL_APPROVAL_STAGE = 'school_approval';

/** The stage at which a record awaits its host enterprise's confirmation of the hours (企业确认学时). */
export const HOST_CONFIRM_STAGE = 'host_confirm';

/** The 千企万岗 applications' workflow key: their stages and actions come from the server's definition. */
export const APPLICATION_WORKFLOW_KEY = 'practice-application';

/** A 千企万岗 application the teacher's school has let go: it awaits the enterprise's acceptance (the workflow's 待企业接收 stage). */
export const AWAITING_ACCEPTANCE = 'school_approved';
