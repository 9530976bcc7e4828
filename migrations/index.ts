import { dataSourceOptions, withAdvisoryLock } from '@portal/core';
import { DataSource } from 'typeorm';
import { InitialSchema1795300000000 } from './1795300000000-InitialSchema.js';
import { WorkflowEngine1795400000000 } from './1795400000000-WorkflowEngine.js';
import { Documents1795500000000 } from './1795500000000-Documents.js';
import { Certification1795600000000 } from './1795600000000-Certification.js';
import { PanelOnlyAttachments1795720000001 } from './1795720000001-PanelOnlyAttachments.js';
import { DocumentBatchItems1795720000002 } from './1795720000002-DocumentBatchItems.js';
import { Propagation1795730000001 } from './1795730000001-Propagation.js';
import { DataIntegrity1795740000001 } from './1795740000001-DataIntegrity.js';
import { CaseParties1795810000001 } from './1795810000001-CaseParties.js';
import { ChainHead1795820000001 } from './1795820000001-ChainHead.js';
import { SpreadsheetImports1795850000001 } from './1795850000001-SpreadsheetImports.js';
import { OutboxClaimIndexes1795860000001 } from './1795860000001-OutboxClaimIndexes.js';
import { OrderClasses1795900000001 } from './1795900000001-OrderClasses.js';
import { Practice1795910000001 } from './1795910000001-Practice.js';
import { Reporting1795920000001 } from './1795920000001-Reporting.js';
import { OrderClassDates1795921000001 } from './1795921000001-OrderClassDates.js';
import { SeedRuns1795930000001 } from './1795930000001-SeedRuns.js';
import { OutboxRetentionIndex1795935000001 } from './1795935000001-OutboxRetentionIndex.js';
import { ListIndexes1795936000001 } from './1795936000001-ListIndexes.js';
import { TaskHolderIndex1795937000001 } from './1795937000001-TaskHolderIndex.js';
import { DashboardAtScale1795940000001 } from './1795940000001-DashboardAtScale.js';
import { OrderClassFilings1795941000001 } from './1795941000001-OrderClassFilings.js';
import { DashboardTeacherCounts1795942000001 } from './1795942000001-DashboardTeacherCounts.js';
import { PracticeApplicationCases1795943000001 } from './1795943000001-PracticeApplicationCases.js';
import { LiveTimerUnique1795944000001 } from './1795944000001-LiveTimerUnique.js';
import { TargetsOnceOnly1795944000002 } from './1795944000002-TargetsOnceOnly.js';
import { CertificationRenewal1795944000003 } from './1795944000003-CertificationRenewal.js';
import { InternalReturnsClosed1795944000004 } from './1795944000004-InternalReturnsClosed.js';
import { InvitationAcceptance1796000000001 } from './1796000000001-InvitationAcceptance.js';
import { StudentBirthYear1796000000002 } from './1796000000002-StudentBirthYear.js';

/** Every migration, oldest first. A new one is added here as well as in its own file. */
export const allMigrations = [
  InitialSchema1795300000000,
  WorkflowEngine1795400000000,
  Documents1795500000000,
  Certification1795600000000,
  PanelOnlyAttachments1795720000001,
  DocumentBatchItems1795720000002,
  Propagation1795730000001,
  DataIntegrity1795740000001,
  CaseParties1795810000001,
  ChainHead1795820000001,
  SpreadsheetImports1795850000001,
  OutboxClaimIndexes1795860000001,
  OrderClasses1795900000001,
  Practice1795910000001,
  Reporting1795920000001,
  OrderClassDates1795921000001,
  SeedRuns1795930000001,
  OutboxRetentionIndex1795935000001,
  ListIndexes1795936000001,
  TaskHolderIndex1795937000001,
  DashboardAtScale1795940000001,
  OrderClassFilings1795941000001,
  DashboardTeacherCounts1795942000001,
  PracticeApplicationCases1795943000001,
  LiveTimerUnique1795944000001,
  TargetsOnceOnly1795944000002,
  CertificationRenewal1795944000003,
  InternalReturnsClosed1795944000004,
  InvitationAcceptance1796000000001,
  StudentBirthYear1796000000002,
];

/** Arbitrary constant: the advisory lock instances take while migrating, so only one migrates at a time. */
const MIGRATION_LOCK = 724_001;

/** Apply pending migrations (one process at a time); answers the names of those applied. */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions({ url, migrations: allMigrations, poolSize: 2, applicationName: 'portal-migrate' }));
  await ds.initialize();
  try {
    return await withAdvisoryLock(ds, MIGRATION_LOCK, async () => {
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    });
  } finally {
    await ds.destroy();
  }
}
