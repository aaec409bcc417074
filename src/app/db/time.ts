/** The phone's local timestamps: one definition with the server's terminal (src/shared). */
export { localIsoWithOffset, localToday } from '../../shared/local-time';
