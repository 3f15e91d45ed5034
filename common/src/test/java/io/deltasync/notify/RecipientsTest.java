package io.deltasync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecipientsTest {

  @Test
  void aFailureGoesToTheOwnerThenTheFailureAddresses() {
    Recipients recipients = Recipients.of(Events.workspace(
        Optional.of(" dr-oncall@ops.example.com, owner@sales.example.com ,dba@ops.example.com"),
        Optional.of(Events.SUCCESS_LIST)));

    assertThat(recipients.announces(Events.failedSend())).isTrue();
    assertThat(recipients.emails(Events.failedSend())).containsExactly(
        "owner@sales.example.com", "dr-oncall@ops.example.com", "dba@ops.example.com");
  }

  @Test
  void aFailureWithoutAFailureAddressStillReachesTheOwner() {
    Recipients recipients = Recipients.of(Events.workspace(Optional.empty(), Optional.empty()));

    assertThat(recipients.emails(Events.failedSend())).containsExactly("owner@sales.example.com");
  }

  @Test
  void aSuccessGoesToTheSuccessAddressOnlyAndOnlyWhenSet() {
    Recipients on = Recipients.of(Events.workspace());
    Recipients off = Recipients.of(Events.workspace(Optional.of(Events.ONCALL), Optional.empty()));
    Recipients blank = Recipients.of(Events.workspace(Optional.of(Events.ONCALL), Optional.of(" ")));

    assertThat(on.announces(Events.succeededReceive())).isTrue();
    assertThat(on.emails(Events.succeededReceive())).containsExactly("dr-reports@ops.example.com");
    assertThat(off.announces(Events.succeededReceive())).isFalse();
    assertThat(off.emails(Events.succeededReceive())).isEmpty();
    assertThat(blank.announces(Events.succeededReceive())).isFalse();
  }

  @Test
  void anEventOfAGroupTheWorkspaceDoesNotNameHasNoOwner() {
    Recipients recipients = Recipients.of(Events.workspace());
    GroupEvent other = new GroupEvent("dr_test_eastus2", "another_group",
        GroupEvent.Phase.FAILOVER, GroupEvent.Outcome.FAILURE, Optional.empty(),
        java.util.OptionalLong.empty(), Optional.empty(), java.util.List.of(),
        Optional.of("boom"), Events.STARTED, Events.FINISHED);

    assertThat(recipients.owner("another_group")).isEmpty();
    assertThat(recipients.emails(other)).containsExactly("dr-oncall@ops.example.com");
  }
}
