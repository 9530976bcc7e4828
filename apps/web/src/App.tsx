import BusinessIcon from '@mui/icons-material/Business';
import GroupIcon from '@mui/icons-material/Group';
import HistoryIcon from '@mui/icons-material/History';
import SettingsIcon from '@mui/icons-material/Settings';
import { lazy, Suspense } from 'react';
import { Admin, Authenticated, CustomRoutes, Loading, reactRouterProvider, Resource } from 'react-admin';
import { AppLayout } from './layout/AppLayout';
import { Dashboard } from './pages/Dashboard';
import { LoginPage } from './pages/LoginPage';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
import { i18nProvider } from './providers/i18nProvider';
import { loginEvents } from './resources/login-events';
import { organisations } from './resources/organisations';
import { settings } from './resources/settings';
import { users } from './resources/users';
import { theme } from './theme';

/** react-router's Route, through react-admin's router adapter (react-router is not a direct dependency). */
const { Route } = reactRouterProvider;

const RegisterPage = lazy(() => import('./pages/RegisterPage').then((m) => ({ default: m.RegisterPage })));
const MyOrganisationPage = lazy(() => import('./pages/MyOrganisationPage').then((m) => ({ default: m.MyOrganisationPage })));

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
      <Resource name="login-events" icon={HistoryIcon} {...loginEvents} />
      <CustomRoutes noLayout>
        <Route
          path="/register"
          element={
            <Suspense fallback={<Loading />}>
              <RegisterPage />
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
      </CustomRoutes>
    </Admin>
  );
}
