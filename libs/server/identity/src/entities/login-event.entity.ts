import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One login attempt, kept for audit (who, from where, whether it worked and why not). */
@Entity('login_events')
export class LoginEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ type: 'text' })
  username: string;

  @Column({ type: 'integer', nullable: true })
  userId: number | null;

  @Column({ type: 'boolean' })
  success: boolean;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent: string | null;
}
