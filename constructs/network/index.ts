export * from './cidr';
export * from './nat-gateway';
export * from './private-dns-zones';
export * from './private-network';
export * from './shared-private-link';
export * from './subnet';
export * from './virtual-network';
