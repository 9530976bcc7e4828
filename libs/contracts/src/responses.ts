import type { CertificationApplicationDto, CertificationDto, EligibilityRule, RecordDto, SubsidyDto, SubsidyTotals } from './certification.js';
import type { AnnualReportDto, BatchResult, PublicityNoticeDto } from './certification.js';
import type { DocumentBatchDto, DocumentDto, ReissueDto, VerificationDto } from './documents.js';
import type { CountDto, EnterpriseChoiceDto, HealthReport, JobDto, JobRetryDto, JobStatsDto, LoginEventDto, LoginResponse } from './identity.js';
import type { MarkedReadDto, MeDto, OrganisationDto, ReferenceDto, RemovedDto, UserChoiceDto, UserDto } from './identity.js';
import type { ImportPreviewDto } from './lists.js';
import type { EmploymentStatsDto, OrderClassDto, OrderClassProgressDto, OrderClassStudentDto, RosterChangeDto, StudentRevealDto } from './order-classes.js';
import type { PracticeApplicationDto, PracticeLedgerDto, PracticePostDto, PracticeRecordDto, PracticeStatsDto } from './practice.js';
import type { SummaryRequestDto, TeacherDto } from './practice.js';
import type { KpisDto, MonthlyReportDto, TargetDto, WorkloadDto } from './reporting.js';
import type { SettingRow } from './settings.js';
import type { AttachmentDto, BatchResolveResult, CalendarDayRow, CaseDiffDto, CaseEventDto, CaseSummaryDto, ChainVerdict } from './workflow.js';
import type {
  DelegationDto,
  InvitationAcceptedDto,
  InvitationDto,
  NotificationDto,
  ObjectionDto,
  SnapshotDto,
  StatusEventDto,
  TaskDto,
  WorkflowDefinitionDto,
} from './workflow.js';

/**
 * Every JSON body the API answers with, by the name of its schema in the OpenAPI document. A route declares its
 * answer with `@ApiReturns('Name')` (or `ApiReturnsList`), which the compiler checks against the method's own
 * return type; the build turns these types into JSON schemas (`generated/response-schemas.ts`), and the fuzzer
 * checks every 2xx body against them.
 */
export interface ResponseTypes {
  AnnualReportDto: AnnualReportDto;
  AttachmentDto: AttachmentDto;
  BatchResolveResult: BatchResolveResult;
  BatchResult: BatchResult;
  CalendarDayRow: CalendarDayRow;
  CaseDiffDto: CaseDiffDto;
  CaseEventDto: CaseEventDto;
  CaseSummaryDto: CaseSummaryDto;
  CertificationApplicationDto: CertificationApplicationDto;
  CertificationDto: CertificationDto;
  ChainVerdict: ChainVerdict;
  CountDto: CountDto;
  DelegationDto: DelegationDto;
  DocumentBatchDto: DocumentBatchDto;
  DocumentDto: DocumentDto;
  EligibilityRule: EligibilityRule;
  EmploymentStatsDto: EmploymentStatsDto;
  EnterpriseChoiceDto: EnterpriseChoiceDto;
  HealthReport: HealthReport;
  ImportPreviewDto: ImportPreviewDto;
  InvitationAcceptedDto: InvitationAcceptedDto;
  InvitationDto: InvitationDto;
  JobDto: JobDto;
  JobRetryDto: JobRetryDto;
  JobStatsDto: JobStatsDto;
  KpisDto: KpisDto;
  LoginEventDto: LoginEventDto;
  LoginResponse: LoginResponse;
  MarkedReadDto: MarkedReadDto;
  MeDto: MeDto;
  MonthlyReportDto: MonthlyReportDto;
  NotificationDto: NotificationDto;
  ObjectionDto: ObjectionDto;
  OrderClassDto: OrderClassDto;
  OrderClassProgressDto: OrderClassProgressDto;
  OrderClassStudentDto: OrderClassStudentDto;
  OrganisationDto: OrganisationDto;
  PracticeApplicationDto: PracticeApplicationDto;
  PracticeLedgerDto: PracticeLedgerDto;
  PracticePostDto: PracticePostDto;
  PracticeRecordDto: PracticeRecordDto;
  PracticeStatsDto: PracticeStatsDto;
  PublicityNoticeDto: PublicityNoticeDto;
  RecordDto: RecordDto;
  ReferenceDto: ReferenceDto;
  ReissueDto: ReissueDto;
  RemovedDto: RemovedDto;
  RosterChangeDto: RosterChangeDto;
  SettingRow: SettingRow;
  SnapshotDto: SnapshotDto;
  StatusEventDto: StatusEventDto;
  StudentRevealDto: StudentRevealDto;
  SubsidyDto: SubsidyDto;
  SubsidyTotals: SubsidyTotals;
  SummaryRequestDto: SummaryRequestDto;
  TargetDto: TargetDto;
  TaskDto: TaskDto;
  TeacherDto: TeacherDto;
  UserChoiceDto: UserChoiceDto;
  UserDto: UserDto;
  VerificationDto: VerificationDto;
  WorkflowDefinitionDto: WorkflowDefinitionDto;
  WorkloadDto: WorkloadDto;
}
