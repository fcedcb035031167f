/** Plain-data shapes of the generated Kubernetes objects (no client library at run time). */

/** A Kubernetes object as plain data, ready for YAML. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec: Readonly<Record<string, unknown>>;
}

/** The settings every generated object uses, after checks and defaults. */
export interface K8sSettings {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly modelUri: string;
  readonly image: string;
  readonly port: number;
  readonly replicas: number | undefined;
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  readonly env: Readonly<Record<string, string>>;
  readonly tokenSecret: string | undefined;
  readonly envSecret: string | undefined;
  readonly startupSeconds: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
}
