import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@portal/core';
import { DataSource } from 'typeorm';
import { AuthController } from './auth/auth.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthService } from './auth/auth.service.js';
import { resolveJwtSecret } from './auth/jwt-secret.js';
import { LoginEventsController } from './auth/login-events.controller.js';
import { RegistrationService } from './auth/registration.service.js';
import { LoginEventEntity } from './entities/login-event.entity.js';
import { OrganisationEntity } from './entities/organisation.entity.js';
import { UserEntity } from './entities/user.entity.js';
import { OrganisationsController } from './organisations/organisations.controller.js';
import { OrganisationsService } from './organisations/organisations.service.js';
import { ReferenceController } from './reference/reference.controller.js';
import { MeController } from './users/me.controller.js';
import { UsersController } from './users/users.controller.js';
import { UsersService } from './users/users.service.js';

/** Organisations, users, login and the global authentication guard. */
@Module({
  imports: [
    TypeOrmModule.forFeature([OrganisationEntity, UserEntity, LoginEventEntity]),
    JwtModule.registerAsync({
      inject: [AppConfig, DataSource],
      useFactory: async (config: AppConfig, ds: DataSource) => ({
        // a KeyObject: jsonwebtoken would otherwise try a string secret as a PEM public key on every verification
        secret: createSecretKey(Buffer.from(await resolveJwtSecret(config, ds), 'utf8')),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, MeController, UsersController, OrganisationsController, ReferenceController, LoginEventsController],
  providers: [AuthService, RegistrationService, UsersService, OrganisationsService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, UsersService, OrganisationsService],
})
export class IdentityModule {}
