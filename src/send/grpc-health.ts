// grpc.health.v1 (grpc/grpc-proto health.proto) as a protobuf.js JSON descriptor, loaded by
// @grpc/proto-loader: the encoding is the library's, and no .proto file has to ship beside dist/.
import { fromJSON, type MethodDefinition } from '@grpc/proto-loader';

const HEALTH_V1 = {
  nested: {
    grpc: { nested: { health: { nested: { v1: { nested: {
      HealthCheckRequest: { fields: { service: { type: 'string', id: 1 } } },
      HealthCheckResponse: {
        fields: { status: { type: 'ServingStatus', id: 1 } },
        nested: { ServingStatus: { values: { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } } },
      },
      Health: { methods: { Check: { requestType: 'HealthCheckRequest', responseType: 'HealthCheckResponse' } } },
    } } } } } },
  },
};

/** The package definition (servers in tests implement it from here too). */
export const HEALTH_PACKAGE = fromJSON(HEALTH_V1 as Parameters<typeof fromJSON>[0], { enums: String, defaults: true });

type HealthService = Record<'Check', MethodDefinition<{ service: string }, { status: string }>>;

/** grpc.health.v1.Health/Check: path, serializers. */
export const HEALTH_CHECK = (HEALTH_PACKAGE['grpc.health.v1.Health'] as unknown as HealthService).Check;
