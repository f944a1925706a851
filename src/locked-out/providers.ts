// Where the host lives, and the ways in that do not need the host's sshd. Data only: the flow
// shows these steps; the cloud checks (./cloud) use `cli` to know which tool to try.
// Placeholders in angle brackets (<instance-id>) are for the user to fill in.

export type ProviderId =
  | 'aws'
  | 'gcp'
  | 'azure'
  | 'digitalocean'
  | 'hetzner'
  | 'ovh'
  | 'linode'
  | 'vultr'
  | 'other-vps'
  | 'hypervisor'
  | 'physical';

export type CliName = 'aws' | 'gcloud' | 'az' | 'doctl' | 'hcloud';

export interface Step {
  text: string;
  /** A command line to type or paste, shown verbatim. */
  command?: string;
}

export interface Route {
  id: string;
  title: string;
  /** What must already be true for this route to work. */
  needs: string;
  steps: Step[];
}

export interface Provider {
  id: ProviderId;
  label: string;
  cli?: CliName;
  routes: Route[];
}

/** The same last step everywhere: once there is a shell, run the console kit. */
const kitStep: Step = {
  text: 'In that shell, paste the console kit (ssh-doctor locked-out --kit prints it) and paste its result block back into ssh-doctor locked-out --decode -.',
};

export const PROVIDERS: readonly Provider[] = [
  {
    id: 'aws',
    label: 'AWS EC2',
    cli: 'aws',
    routes: [
      {
        id: 'aws-serial-console',
        title: 'EC2 Serial Console',
        needs:
          'a Nitro-based instance type, serial console access enabled for the account (per Region), and an OS user with a password',
        steps: [
          {
            text: 'Enable account access once per Region: EC2 console > Settings > Data protection and security > EC2 Serial Console > Manage > Allow, or:',
            command: 'aws ec2 enable-serial-console-access',
          },
          { text: 'Check it:', command: 'aws ec2 get-serial-console-access-status' },
          {
            text: 'Connect: EC2 console > Instances > select the instance > Actions > Monitor and troubleshoot > EC2 Serial Console > Connect.',
          },
          {
            text: "Or from a terminal: push a one-minute key, then ssh to the serial endpoint (this is AWS's sshd, not yours):",
            command:
              'aws ec2-instance-connect send-serial-console-ssh-public-key --instance-id <instance-id> --serial-port 0 --ssh-public-key file://$HOME/.ssh/id_ed25519.pub',
          },
          {
            text: 'Within 60 seconds:',
            command: 'ssh -i ~/.ssh/id_ed25519 <instance-id>.port0@serial-console.ec2-instance-connect.<region>.aws',
          },
          { text: "Press Enter for a login prompt and log in with the OS user's password." },
          kitStep,
        ],
      },
      {
        id: 'aws-session-manager',
        title: 'Systems Manager Session Manager',
        needs:
          'SSM Agent running on the instance, an instance profile with AmazonSSMManagedInstanceCore, outbound HTTPS to the SSM endpoints',
        steps: [
          {
            text: 'Check that the instance is managed (an empty list means it is not):',
            command: 'aws ssm describe-instance-information --filters Key=InstanceIds,Values=<instance-id>',
          },
          {
            text: 'Connect: EC2 console > Instances > select > Connect > Session Manager tab > Connect (or Systems Manager > Session Manager > Start session).',
          },
          {
            text: 'Or from a terminal (needs the session-manager-plugin installed):',
            command: 'aws ssm start-session --target <instance-id>',
          },
          kitStep,
        ],
      },
      {
        id: 'aws-ebs-rescue',
        title: 'Root volume rescue on a helper instance',
        needs:
          'a second instance in the same Availability Zone that you can reach; a short stop of the locked instance (its public IPv4 changes unless it has an Elastic IP)',
        steps: [
          {
            text: 'Note the root device name and volume id:',
            command:
              "aws ec2 describe-instances --instance-ids <instance-id> --query 'Reservations[0].Instances[0].[RootDeviceName,BlockDeviceMappings]'",
          },
          { text: 'Stop the instance:', command: 'aws ec2 stop-instances --instance-ids <instance-id>' },
          { text: 'Detach the root volume:', command: 'aws ec2 detach-volume --volume-id <vol-id>' },
          {
            text: 'Attach it to the helper:',
            command: 'aws ec2 attach-volume --volume-id <vol-id> --instance-id <helper-id> --device /dev/sdf',
          },
          {
            text: 'On the helper, find and mount it (names differ on Nitro, e.g. /dev/nvme1n1p1):',
            command: 'lsblk && sudo mount /dev/nvme1n1p1 /mnt',
          },
          {
            text: 'Repair under /mnt (e.g. /mnt/etc/ssh/sshd_config, /mnt/home/<user>/.ssh/authorized_keys with mode 600), then:',
            command: 'sudo umount /mnt',
          },
          {
            text: 'Detach from the helper and attach back under the original root device name:',
            command:
              'aws ec2 attach-volume --volume-id <vol-id> --instance-id <instance-id> --device <root-device-name>',
          },
          { text: 'Start it:', command: 'aws ec2 start-instances --instance-ids <instance-id>' },
        ],
      },
    ],
  },
  {
    id: 'gcp',
    label: 'Google Cloud (Compute Engine)',
    cli: 'gcloud',
    routes: [
      {
        id: 'gcp-serial-console',
        title: 'Interactive serial console',
        needs:
          'serial port access allowed by org policy (constraints/compute.disableSerialPortAccess) and an OS user with a password',
        steps: [
          {
            text: 'Enable interactive access on the VM:',
            command: 'gcloud compute instances add-metadata <vm> --zone <zone> --metadata serial-port-enable=TRUE',
          },
          {
            text: 'Connect: Console > Compute Engine > VM instances > click the VM > Connect to serial console, or:',
            command: 'gcloud compute connect-to-serial-port <vm> --zone <zone>',
          },
          {
            text: 'No user has a password? A startup script can set one at the next boot, then reset the VM:',
            command:
              "gcloud compute instances add-metadata <vm> --zone <zone> --metadata startup-script='echo <user>:<temporary-password> | chpasswd'",
          },
          {
            text: 'Remove that startup-script metadata once you are in.',
            command: 'gcloud compute instances remove-metadata <vm> --zone <zone> --keys startup-script',
          },
          kitStep,
        ],
      },
      {
        id: 'gcp-disk-rescue',
        title: 'Boot disk rescue on a helper VM',
        needs: 'a helper VM in the same zone; a stop of the locked VM',
        steps: [
          { text: 'Stop the VM:', command: 'gcloud compute instances stop <vm> --zone <zone>' },
          {
            text: 'Detach its boot disk:',
            command: 'gcloud compute instances detach-disk <vm> --disk <boot-disk> --zone <zone>',
          },
          {
            text: 'Attach it to the helper:',
            command: 'gcloud compute instances attach-disk <helper-vm> --disk <boot-disk> --zone <zone>',
          },
          { text: 'On the helper:', command: 'lsblk && sudo mount /dev/sdb1 /mnt' },
          {
            text: 'Repair under /mnt, unmount, detach from the helper, and reattach as boot disk:',
            command: 'gcloud compute instances attach-disk <vm> --disk <boot-disk> --boot --zone <zone>',
          },
          { text: 'Start it:', command: 'gcloud compute instances start <vm> --zone <zone>' },
        ],
      },
    ],
  },
  {
    id: 'azure',
    label: 'Microsoft Azure',
    cli: 'az',
    routes: [
      {
        id: 'azure-run-command',
        title: 'Run Command (no login needed)',
        needs: 'the VM agent running on the VM',
        steps: [
          {
            text: 'Portal: Virtual machines > the VM > Operations > Run command > RunShellScript, paste the console kit, Run. Or:',
            command:
              'az vm run-command invoke -g <resource-group> -n <vm> --command-id RunShellScript --scripts @ssh-doctor-kit.sh',
          },
          {
            text: 'The kit result block is in the output; paste it into ssh-doctor locked-out --decode -. Repairs go back the same way:',
            command:
              'az vm run-command invoke -g <resource-group> -n <vm> --command-id RunShellScript --scripts "<repair command>"',
          },
          {
            text: 'To reset sshd to a working default configuration, or to put your key back:',
            command: 'az vm user reset-ssh -g <resource-group> -n <vm>',
          },
          {
            text: '',
            command:
              'az vm user update -g <resource-group> -n <vm> -u <user> --ssh-key-value "$(cat ~/.ssh/id_ed25519.pub)"',
          },
        ],
      },
      {
        id: 'azure-serial-console',
        title: 'Serial console',
        needs: 'boot diagnostics enabled and an OS user with a password',
        steps: [
          {
            text: 'Enable boot diagnostics (managed storage):',
            command: 'az vm boot-diagnostics enable -g <resource-group> -n <vm>',
          },
          {
            text: 'Portal: Virtual machines > the VM > Help > Serial console. Or (serial-console extension):',
            command: 'az serial-console connect -g <resource-group> -n <vm>',
          },
          kitStep,
        ],
      },
    ],
  },
  {
    id: 'digitalocean',
    label: 'DigitalOcean',
    cli: 'doctl',
    routes: [
      {
        id: 'do-recovery-console',
        title: 'Recovery Console',
        needs: 'the root password (reset it from the same page; it is emailed)',
        steps: [
          {
            text: 'Control panel > Droplets > the droplet > Access > Reset root password (the droplet is power-cycled).',
          },
          { text: 'Same page: Launch Recovery Console, log in as root with the new password.' },
          kitStep,
        ],
      },
      {
        id: 'do-recovery-iso',
        title: 'Recovery ISO',
        needs: 'a power cycle of the droplet',
        steps: [
          { text: 'Droplet > Recovery > Boot from Recovery ISO, then power the droplet off and on.' },
          {
            text: 'Droplet > Access > Launch Recovery Console; choose "Mount your Disk Image", then "Interactive shell".',
          },
          { text: 'Repair under /mnt, then Recovery > Boot from Hard Drive and power-cycle.' },
        ],
      },
    ],
  },
  {
    id: 'hetzner',
    label: 'Hetzner (Cloud or Robot)',
    cli: 'hcloud',
    routes: [
      {
        id: 'hetzner-console',
        title: 'Cloud web console',
        needs: 'the root password (can be reset)',
        steps: [
          {
            text: 'Reset the root password (Cloud Console > server > Rescue > Reset root password), or:',
            command: 'hcloud server reset-password <server>',
          },
          { text: 'Open Cloud Console > server > the >_ Console button, log in as root.' },
          kitStep,
        ],
      },
      {
        id: 'hetzner-rescue',
        title: 'Rescue system',
        needs: 'a reboot of the server',
        steps: [
          {
            text: 'Enable rescue with your key (Cloud Console > server > Rescue > Enable rescue & power cycle), or:',
            command: 'hcloud server enable-rescue <server> --type linux64 --ssh-key <key-name>',
          },
          { text: 'Reboot into it:', command: 'hcloud server reset <server>' },
          {
            text: "ssh root@<server-ip> (the rescue system's sshd), then mount the disk:",
            command: 'mount /dev/sda1 /mnt',
          },
          {
            text: 'Repair under /mnt, then reboot; rescue is used for one boot only.',
            command: 'umount /mnt && reboot',
          },
          {
            text: 'Dedicated (Robot): Robot > Server > Rescue > Activate rescue system, then Reset > Execute an automatic hardware reset.',
          },
        ],
      },
    ],
  },
  {
    id: 'ovh',
    label: 'OVHcloud',
    routes: [
      {
        id: 'ovh-kvm',
        title: 'KVM console',
        needs: 'an OS user with a password',
        steps: [
          {
            text: 'Control Panel > Bare Metal Cloud > Virtual private servers > your VPS > KVM (dedicated servers: the IPMI tab).',
          },
          kitStep,
        ],
      },
      {
        id: 'ovh-rescue',
        title: 'Rescue mode',
        needs: 'a reboot; the rescue credentials arrive by email',
        steps: [
          { text: 'VPS page > Boot > ... > Reboot in rescue mode (dedicated: Netboot > Rescue, then Restart).' },
          {
            text: 'ssh root@<server-ip> with the emailed password, find and mount your disk:',
            command: 'lsblk && mount /dev/sdb1 /mnt',
          },
          { text: 'Repair under /mnt, then Boot > Reboot your VPS (normal mode).' },
        ],
      },
    ],
  },
  {
    id: 'linode',
    label: 'Linode / Akamai',
    routes: [
      {
        id: 'linode-lish',
        title: 'Lish console',
        needs: 'an OS user with a password',
        steps: [
          {
            text: "Cloud Manager > Linodes > the Linode > Launch LISH Console, or through the Lish gateway (Linode's sshd):",
            command: 'ssh -t <cloud-manager-user>@lish-<region>.linode.com <linode-label>',
          },
          kitStep,
        ],
      },
      {
        id: 'linode-rescue',
        title: 'Rescue mode (Finnix)',
        needs: 'a reboot',
        steps: [
          { text: 'Linode > ... > Rescue > Reboot into Rescue Mode, then Launch LISH Console.' },
          { text: 'Mount the disk:', command: 'mount /dev/sda /media/sda' },
          { text: 'Repair under /media/sda, then reboot from Cloud Manager.' },
        ],
      },
    ],
  },
  {
    id: 'vultr',
    label: 'Vultr',
    routes: [
      {
        id: 'vultr-console',
        title: 'Web console',
        needs: 'the root password (shown on the server Overview page)',
        steps: [{ text: 'my.vultr.com > Products > the server > View Console (top right), log in as root.' }, kitStep],
      },
      {
        id: 'vultr-iso',
        title: 'SystemRescue ISO',
        needs: 'a reboot',
        steps: [
          {
            text: 'Server > Settings > Custom ISO > ISO Library > SystemRescue > Attach ISO and Reboot, then View Console.',
          },
          { text: 'Mount and repair:', command: 'lsblk && mount /dev/vda1 /mnt' },
          { text: 'Remove the ISO (Settings > Custom ISO > Remove ISO) to boot normally.' },
        ],
      },
    ],
  },
  {
    id: 'other-vps',
    label: 'Another VPS provider',
    routes: [
      {
        id: 'vps-console',
        title: 'Provider console',
        needs: 'an OS user with a password',
        steps: [
          {
            text: 'In the control panel look for "VNC", "KVM", "noVNC", "Console" or "Serial console" (SolusVM, Virtualizor and Proxmox-based panels all have one).',
          },
          { text: 'If no user has a password, look for "Reset root password" in the same panel.' },
          kitStep,
        ],
      },
      {
        id: 'vps-rescue',
        title: 'Rescue mode or ISO',
        needs: 'a reboot',
        steps: [
          { text: 'Look for "Rescue", "Recovery" or "Mount ISO" (e.g. SystemRescue); boot it and open the console.' },
          { text: 'Mount and repair:', command: 'lsblk && mount /dev/vda1 /mnt' },
        ],
      },
    ],
  },
  {
    id: 'hypervisor',
    label: 'A VM on my own hypervisor',
    routes: [
      {
        id: 'hv-console',
        title: 'Hypervisor console',
        needs: 'access to the hypervisor and an OS user with a password',
        steps: [
          { text: 'libvirt/KVM (serial getty in the guest):', command: 'virsh console <domain>' },
          { text: 'libvirt graphical console:', command: 'virt-viewer <domain>' },
          {
            text: 'Proxmox VE: web UI > the VM > Console, or with a serial port configured:',
            command: 'qm terminal <vmid>',
          },
          { text: 'LXD/Incus containers need no login:', command: 'lxc exec <name> -- sh' },
          {
            text: 'VMware: Launch Web Console / Open Console; VirtualBox: show the VM window; Hyper-V:',
            command: 'vmconnect localhost <vm-name>',
          },
          kitStep,
        ],
      },
      {
        id: 'hv-offline-edit',
        title: 'Edit the disk offline',
        needs: 'libguestfs-tools on the hypervisor; the VM shut down',
        steps: [
          { text: 'Shut it down:', command: 'virsh shutdown <domain>' },
          { text: 'Edit a file in the guest disk:', command: 'virt-edit -d <domain> /etc/ssh/sshd_config' },
          {
            text: 'Or add your key:',
            command: 'virt-customize -d <domain> --ssh-inject <user>:file:$HOME/.ssh/id_ed25519.pub',
          },
        ],
      },
    ],
  },
  {
    id: 'physical',
    label: 'A physical server',
    routes: [
      {
        id: 'phys-local',
        title: 'Local console or BMC',
        needs: 'physical access, or a BMC (IPMI, iDRAC, iLO) on a network you reach',
        steps: [
          {
            text: 'Plug in a keyboard and monitor and log in on a text console (Ctrl+Alt+F2 if a desktop is running).',
          },
          {
            text: "Or the BMC's serial-over-LAN (ipmitool -E reads the password from IPMI_PASSWORD):",
            command: 'ipmitool -I lanplus -H <bmc-address> -U <bmc-user> -E sol activate',
          },
          kitStep,
        ],
      },
      {
        id: 'phys-live-usb',
        title: 'Live USB',
        needs: 'a USB stick and physical access',
        steps: [
          {
            text: 'Boot a live system (Debian live, SystemRescue) from USB via the firmware boot menu (often F12, F11 or Esc).',
          },
          { text: 'Mount the installed root file system:', command: 'lsblk && mount /dev/sda2 /mnt' },
          { text: 'Repair under /mnt (or chroot /mnt), unmount and reboot without the stick.' },
        ],
      },
    ],
  },
];

export function providerById(id: string): Provider | undefined {
  return PROVIDERS.find((p) => p.id === id);
}

/** Steps as plain numbered text, for a non-interactive run or a file. */
export function renderSteps(provider: Provider): string {
  const out: string[] = [`Ways into ${provider.label} without SSH:`];
  provider.routes.forEach((r, i) => {
    out.push('', `${i + 1}. ${r.title}`, `   Needs: ${r.needs}`);
    r.steps.forEach((s, j) => {
      if (s.text) out.push(`   ${i + 1}.${j + 1} ${s.text}`);
      if (s.command) out.push(`       $ ${s.command}`);
    });
  });
  return out.join('\n') + '\n';
}
