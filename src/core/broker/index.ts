// The local TLS broker (Mosquitto) run by the CLI and by VS Code.
export { startBroker, findMosquitto, installHint, type BrokerOptions, type RunningBroker } from './mosquitto';
export { brokerRunUser, canUserEnter, canUserRead, lookupUser, type UnixUser } from './privileges';
