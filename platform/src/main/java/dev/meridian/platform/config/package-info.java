/** The platform's configuration ({@code meridian.platform.*}) and the beans every service gets from it. */
package dev.meridian.platform.config;
