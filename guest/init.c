// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the test guests.  Mounts the pseudo filesystems, binds every QEMU
 * edu device (1234:11e8) to vfio-pci, prints the IOMMU groups and their
 * reserved regions, then runs either the programs listed in /tests/list
 * (harness.run=tests, the default), /bin/vfio-demo (harness.run=demo) or
 * /bin/vfio-bench (harness.run=bench),
 * and powers the machine off.  The host parses the serial console:
 *   harness: begin NAME / harness: end NAME exit=N / harness: done
 * On a kernel with kmemleak (the debug guests), the suspects found at boot
 * are printed and cleared before the first program, and after the last one
 * a scan must find no new suspect:
 *   harness: kmemleak: N new suspected leaks
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

#define KMEMLEAK "/sys/kernel/debug/kmemleak"

/*
 * Scan for leaks (twice: an object must look unreferenced to two scans in a
 * row, Documentation/dev-tools/kmemleak.rst) and print each suspect's
 * report; returns how many there are, or -1 without kmemleak.
 */
static int kmemleak_scan(void)
{
	char buf[4096];
	int suspects = 0;
	FILE *f;

	if (write_file(KMEMLEAK, "scan") || write_file(KMEMLEAK, "scan"))
		return -1;
	f = fopen(KMEMLEAK, "r");
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f)) {
		if (!strncmp(buf, "unreferenced object", 19))
			suspects++;
		printf("harness: kmemleak: | %s", buf);
	}
	fclose(f);
	return suspects;
}

static void print_group(const char *bdf)
{
	char path[512], link[256], buf[4096];
	const char *group;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		printf("harness: %s has no IOMMU group\n", bdf);
		return;
	}
	link[n] = 0;
	group = strrchr(link, '/') + 1;
	printf("harness: %s is in IOMMU group %s\n", bdf, group);
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%s/reserved_regions", group);
	if (!read_file(path, buf, sizeof(buf)))
		printf("harness: reserved regions of group %s:\n%s", group, buf);
}

/* Bind every edu device to vfio-pci; returns how many were bound. */
static int bind_edu(void)
{
	char path[512], buf[64];
	struct dirent *de;
	int bound = 0;
	ssize_t n;
	DIR *d;

	d = opendir("/sys/bus/pci/devices");
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", de->d_name);
		if (read_file(path, buf, sizeof(buf)) || strtoul(buf, NULL, 0) != 0x1234)
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", de->d_name);
		if (read_file(path, buf, sizeof(buf)) || strtoul(buf, NULL, 0) != 0x11e8)
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", de->d_name);
		if (write_file(path, "vfio-pci") ||
		    write_file("/sys/bus/pci/drivers_probe", de->d_name)) {
			printf("harness: ERROR binding %s to vfio-pci\n", de->d_name);
			continue;
		}
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", de->d_name);
		n = readlink(path, buf, sizeof(buf) - 1);
		if (n < 0 || (buf[n] = 0, strcmp(strrchr(buf, '/') + 1, "vfio-pci"))) {
			printf("harness: ERROR %s is not bound to vfio-pci\n", de->d_name);
			continue;
		}
		printf("harness: bound edu device %s to vfio-pci\n", de->d_name);
		print_group(de->d_name);
		bound++;
	}
	closedir(d);
	return bound;
}

static int run(const char *name, const char *prog)
{
	char *const argv[] = { (char *)prog, NULL };
	/* The tests must find their device; QEMU runs edu with a 64-bit DMA mask. */
	char *const envp[] = { "VFIO_SELFTEST_REQUIRE=1", "VFIO_EDU_DMA_MASK=0xffffffffffffffff",
			       "PATH=/bin:/tests", NULL };
	int status;
	pid_t pid;

	printf("harness: begin %s\n", name);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execve(prog, argv, envp);
		printf("harness: cannot execute %s: %s\n", prog, strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		status = 127 << 8;
	if (WIFSIGNALED(status))
		printf("harness: end %s signal=%d\n", name, WTERMSIG(status));
	else
		printf("harness: end %s exit=%d\n", name, WEXITSTATUS(status));
	fflush(stdout);
	return status;
}

int main(void)
{
	char cmdline[1024] = "", line[256], prog[300];
	FILE *list;
	int fd, leaks;

	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/dev", 0755);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	read_file("/proc/cmdline", cmdline, sizeof(cmdline));

	printf("harness: init started\n");
	if (!bind_edu())
		printf("harness: ERROR no edu device found\n");
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	leaks = kmemleak_scan();
	if (leaks >= 0) {
		printf("harness: kmemleak: %d suspects at boot, cleared\n", leaks);
		write_file(KMEMLEAK, "clear");
	}

	if (strstr(cmdline, "harness.run=demo")) {
		run("vfio-demo", "/bin/vfio-demo");
	} else if (strstr(cmdline, "harness.run=bench")) {
		run("vfio-bench", "/bin/vfio-bench");
	} else {
		list = fopen("/tests/list", "r");
		while (list && fgets(line, sizeof(line), list)) {
			line[strcspn(line, "\n")] = 0;
			if (!line[0] || line[0] == '#')
				continue;
			snprintf(prog, sizeof(prog), "/tests/%s", line);
			run(line, prog);
		}
		if (!list)
			printf("harness: ERROR no /tests/list\n");
	}
	if (leaks >= 0) {
		/* Objects younger than 5 s are not reported yet. */
		sleep(6);
		leaks = kmemleak_scan();
		printf("harness: kmemleak: %d new suspected leaks\n", leaks);
	}
	printf("harness: done\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
