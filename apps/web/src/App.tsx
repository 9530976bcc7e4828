import AssignmentIcon from '@mui/icons-material/Assignment';
import BusinessIcon from '@mui/icons-material/Business';
import DescriptionIcon from '@mui/icons-material/Description';
import FactCheckIcon from '@mui/icons-material/FactCheck';
import GroupIcon from '@mui/icons-material/Group';
import HistoryIcon from '@mui/icons-material/History';
import InboxIcon from '@mui/icons-material/Inbox';
import PaymentsIcon from '@mui/icons-material/Payments';
import EventIcon from '@mui/icons-material/Event';
import SettingsIcon from '@mui/icons-material/Settings';
import SchoolIcon from '@mui/icons-material/School';
import VerifiedIcon from '@mui/icons-material/Verified';
import FlagIcon from '@mui/icons-material/Flag';
import { lazy, Suspense, type ReactNode } from 'react';
import { Admin, Authenticated, CustomRoutes, Loading, reactRouterProvider, Resource } from 'react-admin';
import { AppLayout } from './layout/AppLayout';
import { Dashboard } from './pages/Dashboard';
import { LoginPage } from './pages/LoginPage';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
import { i18nProvider } from './providers/i18nProvider';
import { certificationApplications, MyApplicationPage, PublicityListPage } from './resources/certification-applications';
import { certificationRecords } from './resources/certification-records';
import { certifications } from './resources/certifications';
import { documents, MyCertificatesPage } from './resources/documents';
import { loginEvents } from './resources/login-events';
import { OrderClassProgressPage, orderClasses } from './resources/order-classes';
import { organisations } from './resources/organisations';
import { settings } from './resources/settings';
import { calendarDays } from './resources/calendar-days';
import { subsidies, SubsidyTotalsPage } from './resources/subsidies';
import { targets } from './resources/targets';
import { tasks } from './resources/tasks';
import { users } from './resources/users';
import { MyLedgerPage, practiceApplications, PracticeImportPage, practicePosts, practiceRecords, PracticeStatsPage, teachers } from './resources/practice';
import { theme } from './theme';

/** react-router's Route, through react-admin's router adapter (react-router is not a direct dependency). */
const { Route } = reactRouterProvider;

const RegisterPage = lazy(() => import('./pages/RegisterPage').then((m) => ({ default: m.RegisterPage })));
const InvitationAcceptPage = lazy(() => import('./pages/InvitationAcceptPage').then((m) => ({ default: m.InvitationAcceptPage })));
const MyOrganisationPage = lazy(() => import('./pages/MyOrganisationPage').then((m) => ({ default: m.MyOrganisationPage })));
const PublicityPage = lazy(() => import('./pages/PublicityPage').then((m) => ({ default: m.PublicityPage })));
const JobsPage = lazy(() => import('./pages/JobsPage').then((m) => ({ default: m.JobsPage })));
const WorkflowsPage = lazy(() => import('./pages/WorkflowsPage').then((m) => ({ default: m.WorkflowsPage })));
const DelegationsPage = lazy(() => import('./pages/DelegationsPage').then((m) => ({ default: m.DelegationsPage })));
const WorkloadPage = lazy(() => import('./pages/WorkloadPage').then((m) => ({ default: m.WorkloadPage })));
const CasePage = lazy(() => import('./workflow/CasePage').then((m) => ({ default: m.CasePage })));

/** A page of the layout for logged-in users only. */
const authenticated = (page: ReactNode) => <Authenticated>{page}</Authenticated>;

/**
 * 温州市产教融合平台. Resources are registered for everyone; authProvider.canAccess (from the roles of
 * /api/me) hides what a role may not use, and the server decides in the end. Pages check the login
 * one by one (not `requireAuth`, whose cached "logged out" state would log a user who has just
 * registered on the public /register page straight out again).
 */
export function App() {
  return (
    <Admin
      title="温州市产教融合平台"
      disableTelemetry
      authProvider={authProvider}
      dataProvider={dataProvider}
      i18nProvider={i18nProvider}
      theme={theme}
      layout={AppLayout}
      dashboard={Dashboard}
      loginPage={LoginPage}
    >
      <Resource name="organisations" icon={BusinessIcon} recordRepresentation="name" {...organisations} />
      <Resource name="users" icon={GroupIcon} recordRepresentation="displayName" {...users} />
      <Resource name="settings" icon={SettingsIcon} recordRepresentation="label" {...settings} />
      <Resource name="calendar-days" icon={EventIcon} recordRepresentation="day" {...calendarDays} />
      <Resource name="login-events" icon={HistoryIcon} {...loginEvents} />
      <Resource name="tasks" icon={InboxIcon} {...tasks} />
      <Resource name="certification-applications" icon={AssignmentIcon} recordRepresentation="enterpriseName" {...certificationApplications} />
      <Resource name="certifications" icon={VerifiedIcon} recordRepresentation="enterpriseName" {...certifications} />
      <Resource name="certification-records" icon={FactCheckIcon} recordRepresentation="enterpriseName" {...certificationRecords} />
      <Resource name="subsidies" icon={PaymentsIcon} recordRepresentation="enterpriseName" {...subsidies} />
      <Resource name="documents" icon={DescriptionIcon} recordRepresentation="serial" {...documents} />
      <Resource name="practice-posts" recordRepresentation="title" {...practicePosts} />
      <Resource name="practice-applications" {...practiceApplications} />
      <Resource name="practice-records" recordRepresentation="teacherName" {...practiceRecords} />
      <Resource name="practice-hosts" recordRepresentation="name" />
      <Resource name="teachers" recordRepresentation="displayName" {...teachers} />
      <Resource name="targets" icon={FlagIcon} recordRepresentation="label" {...targets} />
      <Resource name="order-classes" icon={SchoolIcon} recordRepresentation="name" {...orderClasses} />
      <CustomRoutes noLayout>
        <Route
          path="/register"
          element={
            <Suspense fallback={<Loading />}>
              <RegisterPage />
            </Suspense>
          }
        />
        {/* the link of an invitation mail: public, it asks to log in or register before accepting */}
        <Route
          path="/invitations/accept"
          element={
            <Suspense fallback={<Loading />}>
              <InvitationAcceptPage />
            </Suspense>
          }
        />
        {/* 公示公告: public, no login */}
        <Route
          path="/publicity"
          element={
            <Suspense fallback={<Loading />}>
              <PublicityPage />
            </Suspense>
          }
        />
      </CustomRoutes>
      <CustomRoutes>
        <Route
          path="/my-organisation"
          element={
            <Authenticated>
              <MyOrganisationPage />
            </Authenticated>
          }
        />
        <Route path="/cases/:ref" element={authenticated(<CasePage />)} />
        <Route path="/my-application" element={authenticated(<MyApplicationPage />)} />
        <Route path="/publicity-review" element={authenticated(<PublicityListPage />)} />
        <Route path="/my-certificates" element={authenticated(<MyCertificatesPage />)} />
        <Route path="/subsidy-totals" element={authenticated(<SubsidyTotalsPage />)} />
        <Route path="/admin/jobs" element={authenticated(<JobsPage />)} />
        <Route path="/workflows" element={authenticated(<WorkflowsPage />)} />
        <Route path="/delegations" element={authenticated(<DelegationsPage />)} />
        <Route path="/my-practice-ledger" element={authenticated(<MyLedgerPage />)} />
        <Route path="/practice-import" element={authenticated(<PracticeImportPage />)} />
        <Route path="/practice-stats" element={authenticated(<PracticeStatsPage />)} />
        <Route path="/workload" element={authenticated(<WorkloadPage />)} />
        <Route path="/order-class-progress" element={authenticated(<OrderClassProgressPage />)} />
      </CustomRoutes>
    </Admin>
  );
}
