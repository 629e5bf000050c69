// The real-node lab's pod sandbox ("pause") image binary: standard library only; see test/kube/build.sh.
module zdprobe.local/pause

go 1.24.0
