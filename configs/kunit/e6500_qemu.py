# kunit.py --qemu_config for a 64-bit e6500 (QorIQ) kernel on QEMU's
# ppce500 machine, which loads the ELF vmlinux itself and passes a device
# tree with an ns16550 console (ttyS0) and an MPIC MSI bank; it has no
# PAMU. kunit.py writes only this fragment and the kunitconfig before
# olddefconfig, so the 64-bit Book3E e6500 choices are spelled out.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='powerpc',
			   kconfig='''
CONFIG_PPC64=y
CONFIG_PPC_BOOK3E_64=y
CONFIG_E6500_CPU=y
CONFIG_PPC_QEMU_E500=y
CONFIG_CORENET_GENERIC=y
CONFIG_PHYS_64BIT=y
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y''',
			   qemu_arch='ppc64',
			   kernel_path='vmlinux',
			   kernel_command_line='console=ttyS0',
			   extra_qemu_params=['-M', 'ppce500', '-cpu', 'e6500'])
