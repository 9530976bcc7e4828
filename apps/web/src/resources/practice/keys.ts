/** The practice workflow's key: the web app reads its stages and actions from the server's definition. */
export const PRACTICE_WORKFLOW_KEY = 'practice-record';
