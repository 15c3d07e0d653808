package desk_test

import (
	"context"
	"testing"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
)

// TestOperatorChangeRules: an admin cannot demote or deactivate themselves (the account
// would lose its last way in), may change anyone else of the account, and finds no operator
// of another account; a change that is refused changes nothing.
func TestOperatorChangeRules(t *testing.T) {
	t.Parallel()
	k := testkit.OpenDesk(t)
	ctx := context.Background()
	acct, admin := k.Account()
	_, otherAdmin := k.Account()
	op := k.Operator(acct.ID, "Анна", livedesk.RoleOperator, 5, "")
	role := func(r livedesk.Role) *livedesk.Role { return &r }
	yes := true
	limit := 7
	for _, tc := range []struct {
		name   string
		target livedesk.ID
		patch  desk.OperatorPatch
		want   livedesk.Code
	}{
		{"the admin demotes themselves", admin.ID, desk.OperatorPatch{Role: role(livedesk.RoleOperator)}, livedesk.CodeConflict},
		{"the admin makes themselves a supervisor", admin.ID, desk.OperatorPatch{Role: role(livedesk.RoleSupervisor)}, livedesk.CodeConflict},
		{"the admin deactivates themselves", admin.ID, desk.OperatorPatch{Deactivated: &yes}, livedesk.CodeConflict},
		{"another account's operator", otherAdmin.ID, desk.OperatorPatch{Limit: &limit}, livedesk.CodeNotFound},
		{"an unknown role", op.ID, desk.OperatorPatch{Role: role("king")}, livedesk.CodeInvalidInput},
		{"promote an operator", op.ID, desk.OperatorPatch{Role: role(livedesk.RoleSupervisor)}, ""},
		{"raise a limit", op.ID, desk.OperatorPatch{Limit: &limit}, ""},
		{"deactivate an operator", op.ID, desk.OperatorPatch{Deactivated: &yes}, ""},
	} {
		if _, err := k.Desk.UpdateOperator(ctx, admin, tc.target, tc.patch); testkit.Code(err) != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if me := k.Reload(admin); me.Role != livedesk.RoleAdmin || me.Deactivated {
		t.Fatalf("the admin after refused changes: role %s, deactivated %v", me.Role, me.Deactivated)
	}
	if got := k.Reload(op); got.Role != livedesk.RoleSupervisor || got.Limit != 7 || !got.Deactivated {
		t.Fatalf("the operator after the changes: role %s, limit %d, deactivated %v", got.Role, got.Limit, got.Deactivated)
	}
	if _, _, err := k.Desk.Login(ctx, op.Email, "password1", 1); !livedesk.IsCode(err, livedesk.CodeForbidden) {
		t.Errorf("a deactivated operator logs in: %v, want forbidden", err)
	}
}
