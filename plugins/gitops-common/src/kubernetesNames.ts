// The checks Kubernetes applies to names (apimachinery's validation.IsDNS1123*),
// so the product accepts exactly the names the API server and Argo CD accept.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** @public Longest DNS-1123 label (namespace names, label values). */
export const DNS1123_LABEL_MAX_LENGTH = 63;

/** @public Longest DNS-1123 subdomain (most object names, Argo CD apps). */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

/**
 * Whether a name is a DNS-1123 label, as Kubernetes requires of namespaces.
 *
 * @public
 */
export function isDns1123Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX_LENGTH && DNS1123_LABEL.test(value);
}

/**
 * Whether a name is a DNS-1123 subdomain, as Kubernetes requires of the
 * `metadata.name` of a custom resource such as an Argo CD Application.
 *
 * @public
 */
export function isDns1123Subdomain(value: string): boolean {
  return (
    value.length <= DNS1123_SUBDOMAIN_MAX_LENGTH &&
    DNS1123_SUBDOMAIN.test(value)
  );
}

/**
 * Whether a name can name an application: the check Kubernetes applies to
 * an Argo CD Application's `metadata.name`.
 *
 * @public
 */
export function isApplicationName(value: string): boolean {
  return isDns1123Subdomain(value);
}
