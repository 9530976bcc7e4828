export { filingReceipt, filingReceiptsOf, receiptSubject } from './classes/filing-receipt.js';
export * from './classes/order-class.workflow.js';
export * from './classes/order-classes.service.js';
export * from './order-classes.module.js';
export * from './students/student.rules.js';
export { PARTNER_JOIN } from './classes/order-class.rows.js';
