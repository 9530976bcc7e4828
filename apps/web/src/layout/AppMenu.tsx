import AccountTreeIcon from '@mui/icons-material/AccountTree';
import ApartmentIcon from '@mui/icons-material/Apartment';
import AssignmentIcon from '@mui/icons-material/Assignment';
import BusinessIcon from '@mui/icons-material/Business';
import CampaignIcon from '@mui/icons-material/Campaign';
import EditNoteIcon from '@mui/icons-material/EditNote';
import FactCheckIcon from '@mui/icons-material/FactCheck';
import EventBusyIcon from '@mui/icons-material/EventBusy';
import GroupIcon from '@mui/icons-material/Group';
import HistoryIcon from '@mui/icons-material/History';
import InboxIcon from '@mui/icons-material/Inbox';
import PaymentsIcon from '@mui/icons-material/Payments';
import QueueIcon from '@mui/icons-material/Queue';
import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import SchoolIcon from '@mui/icons-material/School';
import TrendingUpIcon from '@mui/icons-material/TrendingUp';
import EventIcon from '@mui/icons-material/Event';
import SettingsIcon from '@mui/icons-material/Settings';
import VerifiedIcon from '@mui/icons-material/Verified';
import WorkspacePremiumIcon from '@mui/icons-material/WorkspacePremium';
import EngineeringIcon from '@mui/icons-material/Engineering';
import FlagIcon from '@mui/icons-material/Flag';
import HowToRegIcon from '@mui/icons-material/HowToReg';
import SpeedIcon from '@mui/icons-material/Speed';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import WorkHistoryIcon from '@mui/icons-material/WorkHistory';
import { Menu, useGetIdentity, usePermissions, useTranslate } from 'react-admin';
import { hasRole, isOrganisationManager, toRoles } from '../providers/access';
import { MenuEntry, SingleActiveMenu } from './SingleActiveMenu';
import { ENTERPRISE_CONFIRM_STAGE } from '../resources/order-classes/shared';
import { HOST_CONFIRM_STAGE, SCHOOL_APPROVAL_STAGE } from '../resources/practice/keys';

/** A list page with a fixed filter (拨付通知 = the documents list of subsidy notices). */
/**
 * A list opened from the menu with its filter in the URL. An entry without a filter of its own passes `{}`: a list
 * that another entry opens filtered (我的订单班 and 待确认订单班) would otherwise keep that filter from the last visit.
 */
const filtered = (pathname: string, filter: Record<string, unknown>) => ({ pathname, search: `?filter=${encodeURIComponent(JSON.stringify(filter))}` });

/**
 * The menu follows the user's roles (from /api/me). Items are plain links with their visible Chinese
 * text (browser tests find them by it): admin 机构管理 / 用户管理 / 系统设置 / 登录日志; reviewers 机构名录;
 * enterprise applicants and school admins 我的单位 / 本单位用户; everyone 首页.
 * Certification: enterprise 认定申报 / 省级/国家级认定备案 / 我的证书与文件 / 补助; county and city reviewers
 * 待办事项 / 认定申请 / 认定企业 / 补助台账 / 公示; experts 待办事项; finance 补助台账 / 拨付通知; admin all of
 * the reviewers' plus 任务队列 and 流程图;
 * county and city reviewers, experts and finance 我的委托.
 */
export function AppMenu() {
  const translate = useTranslate();
  const { permissions } = usePermissions<unknown>();
  const roles = toRoles(permissions);
  const admin = hasRole(roles, 'admin');
  const reviewer = !admin && hasRole(roles, 'city_reviewer', 'county_reviewer');
  const manager = isOrganisationManager(roles);
  const reviews = hasRole(roles, 'admin', 'city_reviewer', 'county_reviewer');
  const city = hasRole(roles, 'admin', 'city_reviewer');
  const expert = hasRole(roles, 'expert');
  const finance = hasRole(roles, 'finance');
  const enterprise = hasRole(roles, 'enterprise_applicant');
  const delegates = hasRole(roles, 'county_reviewer', 'city_reviewer', 'expert', 'finance');
  // 教师入企实践 (tasks 47-48): teachers, the host enterprises, the schools, the bureaus
  const teacher = hasRole(roles, 'teacher');
  const school = hasRole(roles, 'school_admin');
  const { identity } = useGetIdentity();
  const organisationId = (identity as { organisationId?: number } | undefined)?.organisationId;
  const county = hasRole(roles, 'county_reviewer');
  return (
    // long names (省级/国家级认定备案, English ones) fit or wrap instead of being cut; one entry marked, the page's (not
    // every entry opening its list: 订单班备案 and 订单班)
    <SingleActiveMenu
      sx={{
        '& .MuiMenuItem-root, & .MuiMenuItem-root *': { whiteSpace: 'normal', textOverflow: 'clip' },
        '& .MuiMenuItem-root': { lineHeight: 1.35, fontSize: '0.94rem' },
      }}
    >
      <Menu.DashboardItem primaryText={translate('app.menu.dashboard')} />
      {(reviews || expert) && <MenuEntry to="/tasks" primaryText={translate('app.menu.tasks')} leftIcon={<InboxIcon />} />}
      {enterprise && <MenuEntry to="/my-application" primaryText={translate('app.menu.my_application')} leftIcon={<EditNoteIcon />} />}
      {enterprise && <MenuEntry to="/certification-records" primaryText={translate('app.menu.records')} leftIcon={<FactCheckIcon />} />}
      {enterprise && <MenuEntry to="/my-certificates" primaryText={translate('app.menu.my_certificates')} leftIcon={<WorkspacePremiumIcon />} />}
      {enterprise && <MenuEntry to="/certifications" primaryText={translate('app.menu.my_certifications')} leftIcon={<VerifiedIcon />} />}
      {enterprise && !reviews && !finance && <MenuEntry to="/subsidies" primaryText={translate('app.menu.my_subsidies')} leftIcon={<PaymentsIcon />} />}
      {teacher && <MenuEntry to={filtered('/practice-posts', {})} primaryText={translate('app.menu.practice_posts')} leftIcon={<EngineeringIcon />} />}
      {teacher && <MenuEntry to="/practice-applications" primaryText={translate('app.menu.practice_applications')} leftIcon={<HowToRegIcon />} />}
      {teacher && <MenuEntry to={filtered('/practice-records', {})} primaryText={translate('app.menu.my_practice')} leftIcon={<WorkHistoryIcon />} />}
      {teacher && <MenuEntry to="/my-practice-ledger" primaryText={translate('app.menu.my_ledger')} leftIcon={<TrendingUpIcon />} />}
      {/* a teacher's documents are their own (certificates and summaries: the server scopes them) */}
      {teacher && (
        <MenuEntry to={filtered('/documents', {})} primaryText={translate('app.menu.my_practice_certificates')} leftIcon={<WorkspacePremiumIcon />} />
      )}
      {enterprise && organisationId !== undefined && (
        <MenuEntry
          to={filtered('/practice-posts', { enterpriseId: organisationId })}
          primaryText={translate('app.menu.my_posts')}
          leftIcon={<EngineeringIcon />}
        />
      )}
      {(enterprise || school) && (
        <MenuEntry to="/practice-applications" primaryText={translate('app.menu.practice_applications')} leftIcon={<HowToRegIcon />} />
      )}
      {enterprise && (
        <MenuEntry
          to={filtered('/practice-records', { state: HOST_CONFIRM_STAGE })}
          primaryText={translate('app.menu.host_confirm')}
          leftIcon={<WorkHistoryIcon />}
        />
      )}
      {school && <MenuEntry to="/teachers" primaryText={translate('app.menu.school_teachers')} leftIcon={<SchoolIcon />} />}
      {school && (
        <MenuEntry
          to={filtered('/practice-records', { state: SCHOOL_APPROVAL_STAGE })}
          primaryText={translate('app.menu.school_approvals')}
          leftIcon={<WorkHistoryIcon />}
        />
      )}
      {school && <MenuEntry to="/practice-import" primaryText={translate('app.menu.practice_import')} leftIcon={<UploadFileIcon />} />}
      {reviews && <MenuEntry to="/teachers" primaryText={translate('app.menu.teachers')} leftIcon={<SchoolIcon />} />}
      {reviews && (
        <MenuEntry to={filtered('/practice-records', { counted: true })} primaryText={translate('app.menu.counted_practice')} leftIcon={<WorkHistoryIcon />} />
      )}
      {reviews && <MenuEntry to="/practice-stats" primaryText={translate('app.menu.practice_stats')} leftIcon={<TrendingUpIcon />} />}
      {reviews && <MenuEntry to="/certification-applications" primaryText={translate('app.menu.applications')} leftIcon={<AssignmentIcon />} />}
      {city && !enterprise && <MenuEntry to="/certification-records" primaryText={translate('app.menu.records')} leftIcon={<FactCheckIcon />} />}
      {reviews && <MenuEntry to="/certifications" primaryText={translate('app.menu.certifications')} leftIcon={<VerifiedIcon />} />}
      {(reviews || finance) && <MenuEntry to="/subsidies" primaryText={translate('app.menu.subsidies')} leftIcon={<PaymentsIcon />} />}
      {finance && (
        <MenuEntry to={filtered('/documents', { kind: 'subsidy_notice' })} primaryText={translate('app.menu.subsidy_notices')} leftIcon={<ReceiptLongIcon />} />
      )}
      {reviews && <MenuEntry to="/publicity-review" primaryText={translate('app.menu.publicity')} leftIcon={<CampaignIcon />} />}
      {reviews && <MenuEntry to="/workload" primaryText={translate('app.menu.workload')} leftIcon={<SpeedIcon />} />}
      {(reviews || finance) && <MenuEntry to="/targets" primaryText={translate('app.menu.targets')} leftIcon={<FlagIcon />} />}
      {/* 订单班: the school's own and its registration; the enterprise's to confirm and its own; the county's filing; the city's all and progress */}
      {school && <MenuEntry to={filtered('/order-classes', {})} primaryText={translate('app.menu.my_order_classes')} leftIcon={<SchoolIcon />} />}
      {school && <MenuEntry to="/order-classes/create" primaryText={translate('app.menu.new_order_class')} leftIcon={<EditNoteIcon />} />}
      {enterprise && (
        <MenuEntry
          to={filtered('/order-classes', { state: ENTERPRISE_CONFIRM_STAGE })}
          primaryText={translate('app.menu.order_classes_to_confirm')}
          leftIcon={<FactCheckIcon />}
        />
      )}
      {enterprise && <MenuEntry to={filtered('/order-classes', {})} primaryText={translate('app.menu.my_order_classes')} leftIcon={<SchoolIcon />} />}
      {county && (
        <MenuEntry
          to={filtered('/order-classes', { state: 'county_filing' })}
          primaryText={translate('app.menu.order_class_filing')}
          leftIcon={<FactCheckIcon />}
        />
      )}
      {reviews && <MenuEntry to={filtered('/order-classes', {})} primaryText={translate('app.menu.order_classes')} leftIcon={<SchoolIcon />} />}
      {city && <MenuEntry to="/order-class-progress" primaryText={translate('app.menu.order_class_progress')} leftIcon={<TrendingUpIcon />} />}
      {delegates && <MenuEntry to="/delegations" primaryText={translate('app.menu.delegations')} leftIcon={<EventBusyIcon />} />}
      {admin && <MenuEntry to="/admin/jobs" primaryText={translate('app.menu.jobs')} leftIcon={<QueueIcon />} />}
      {admin && <MenuEntry to="/workflows" primaryText={translate('app.menu.workflows')} leftIcon={<AccountTreeIcon />} />}
      {admin && <MenuEntry to="/organisations" primaryText={translate('app.menu.organisations')} leftIcon={<BusinessIcon />} />}
      {admin && <MenuEntry to="/users" primaryText={translate('app.menu.users')} leftIcon={<GroupIcon />} />}
      {admin && <MenuEntry to="/settings" primaryText={translate('app.menu.settings')} leftIcon={<SettingsIcon />} />}
      {admin && <MenuEntry to="/calendar-days" primaryText={translate('app.menu.calendar')} leftIcon={<EventIcon />} />}
      {admin && <MenuEntry to="/login-events" primaryText={translate('app.menu.login_events')} leftIcon={<HistoryIcon />} />}
      {reviewer && <MenuEntry to="/organisations" primaryText={translate('app.menu.organisations_read')} leftIcon={<BusinessIcon />} />}
      {manager && <MenuEntry to="/my-organisation" primaryText={translate('app.menu.my_organisation')} leftIcon={<ApartmentIcon />} />}
      {manager && !admin && <MenuEntry to="/users" primaryText={translate('app.menu.my_users')} leftIcon={<GroupIcon />} />}
    </SingleActiveMenu>
  );
}
