// etcd built from the release pinned in go.mod (the version k8s.io/kubernetes' go.mod requires).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
