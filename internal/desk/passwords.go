package desk

import "livedesk/internal/auth"

// SetBcryptCost sets the cost of new password hashes; a login with an unknown email spends
// a comparison at this cost, so it takes as long as one with a known email. Call it before
// serving (the default is 10).
func (d *Desk) SetBcryptCost(cost int) {
	d.bcryptCost = cost
	d.burner = auth.NewPasswordBurner(cost)
}
